package dev.privseg.core.segment.kmeans;

import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.Segmenter;

/**
 * A segmenter that also fits rows held in chunks where an engine keeps them
 * ({@link ChunkedRows}: Spark's executors, say), with the same results as its fit of the same
 * rows in one matrix, to the last bit, however the chunks are spread: an engine that holds rows
 * in chunks runs any segmenter that implements it. {@link KMeans} and
 * {@link dev.privseg.core.segment.gmm.GaussianMixture} do.
 */
public interface ChunkedSegmenter extends Segmenter {

  /**
   * Fits on {@code rows}: every pass over them is a {@link ChunkStep} their holder runs, and
   * each row's segment is left in its chunk ({@link Chunk#label}).
   *
   * @throws dev.privseg.core.ConfigurationException if the rows cannot be fitted as configured
   *     (too few, say)
   */
  ChunkedFit fit(ChunkedRows rows, SegmentContext context);
}
