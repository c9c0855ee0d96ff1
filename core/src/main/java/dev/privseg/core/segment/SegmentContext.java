package dev.privseg.core.segment;

import java.util.concurrent.Executor;

/**
 * What a {@link Segmenter} gets from the run besides the features: where to run parallel work,
 * how to report progress, and how to notice cancellation.
 */
public interface SegmentContext {

  /** The executor for parallel work. */
  Executor executor();

  /** How many threads (including the caller) the segmenter may use. */
  int parallelism();

  /** Reports progress in the segmentation stage, e.g. iterations done out of the maximum. */
  void progress(long done, long total);

  /** Throws the run's cancellation exception if the run was cancelled. Call between steps. */
  void checkCancelled();

  /**
   * A context for calling a segmenter directly, outside a pipeline: work runs on
   * {@code executor} with up to {@code parallelism} threads; progress is ignored and nothing
   * cancels.
   */
  static SegmentContext of(Executor executor, int parallelism) {
    dev.privseg.core.Checks.notNull(executor, "executor");
    dev.privseg.core.Checks.atLeast(parallelism, 1, "parallelism");
    return new SegmentContext() {
      @Override
      public Executor executor() {
        return executor;
      }

      @Override
      public int parallelism() {
        return parallelism;
      }

      @Override
      public void progress(long done, long total) {}

      @Override
      public void checkCancelled() {}
    };
  }
}
