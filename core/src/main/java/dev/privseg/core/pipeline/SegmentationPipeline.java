package dev.privseg.core.pipeline;

import dev.privseg.core.Purpose;
import dev.privseg.core.dataset.Dataset;

/**
 * A configured segmentation pipeline bound to one purpose. Immutable and thread-safe: one pipeline
 * can run many datasets, concurrently. Logs stage names, counts and timings at DEBUG, never data.
 */
public final class SegmentationPipeline {
  /** The run as a plan of stages, made once: every stage is immutable. */
  private final RunPlan plan;

  SegmentationPipeline(SegmentationBuilder b) {
    this.plan = RunPlan.of(b);
  }

  /** The purpose every run of this pipeline is bound to. */
  public Purpose purpose() {
    return plan.purpose();
  }

  /** Runs on {@code input} now, with no listener. */
  public SegmentationRun run(Dataset input) {
    return run(input, RunOptions.defaults());
  }

  /** Runs on {@code input} with {@code options}. */
  public SegmentationRun run(Dataset input, RunOptions options) {
    return new LocalExecution(plan, input, options).run();
  }

  @Override
  public String toString() {
    return "SegmentationPipeline[purpose=" + plan.purpose().id() + ", "
        + plan.segmenter().description() + "]";
  }
}
