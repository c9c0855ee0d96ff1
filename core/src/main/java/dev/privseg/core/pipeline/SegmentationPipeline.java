package dev.privseg.core.pipeline;

import dev.privseg.core.Purpose;
import dev.privseg.core.dataset.Dataset;

/**
 * A configured segmentation pipeline bound to one purpose. Immutable and thread-safe: one pipeline
 * can run many datasets, concurrently. Logs stage names, counts and timings at DEBUG, never data.
 */
public final class SegmentationPipeline {
  /** The run as a plan of stages, made once: every stage is immutable. */
  private final LocalPlan local;
  private final RunPlan plan;

  SegmentationPipeline(SegmentationBuilder b) {
    this.local = LocalPlan.of(b);
    this.plan = local.plan();
  }

  /**
   * What every run of this pipeline does, for an executor other than the local one (which
   * carries it out through {@link RunPlan#recorder}).
   */
  public RunPlan plan() {
    return plan;
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
    return new LocalExecution(local, input, options).run();
  }

  @Override
  public String toString() {
    return "SegmentationPipeline[purpose=" + plan.purpose().id() + ", "
        + plan.segmenter().description() + "]";
  }
}
