package dev.privseg.core.segment.kmeans;

import java.io.Serializable;
import java.util.List;

/**
 * The rows of a feature matrix held where an engine keeps them (Spark's executors, say), in
 * {@link Chunk}s of {@link #CHUNK} consecutive rows: chunk {@code c} holds rows
 * {@code c * CHUNK} up to {@code (c + 1) * CHUNK} (the last chunk fewer). A
 * {@link KMeans#fit(ChunkedRows, dev.privseg.core.segment.SegmentContext) k-means fit} on them
 * sends its passes over the rows to the chunks as {@link ChunkStep}s and adds their results in
 * chunk order, so it makes the same choices, to the last bit, as a fit on the same rows in one
 * {@link dev.privseg.core.segment.FeatureMatrix}, whichever machines ran the steps and however the
 * chunks were spread over them.
 *
 * <p>An implementation keeps each chunk's state (what a step leaves in it) from one step to the
 * next. One that must not change a chunk it holds (a cached Spark partition) runs a step on
 * {@link Chunk#copy()} and holds the copy from then on.
 */
public interface ChunkedRows {
  /** Rows per chunk. */
  int CHUNK = Lloyd.CHUNK;

  /** The number of rows. */
  int rows();

  /** The number of features per row. */
  int cols();

  /** The number of chunks. */
  default int chunks() {
    return (rows() + CHUNK - 1) / CHUNK;
  }

  /**
   * Runs {@code step} on every chunk, keeping the state it leaves in each; returns the chunks'
   * results in chunk order.
   */
  <R extends Serializable> List<R> update(ChunkStep<R> step);

  /** Runs {@code step} on chunk {@code chunk} alone, discarding any state it leaves. */
  <R extends Serializable> R read(int chunk, ChunkStep<R> step);
}
