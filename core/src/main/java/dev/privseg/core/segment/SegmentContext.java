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
}
