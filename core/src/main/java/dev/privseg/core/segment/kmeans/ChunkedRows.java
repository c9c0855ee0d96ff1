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

  /**
   * Every row's segment as the last fit left it in its chunk ({@link Chunk#label}), in row
   * order: an array of {@link #rows()} on the caller's heap. This default reads the chunks one
   * at a time; an implementation may read them at once.
   *
   * @throws IllegalStateException before a fit has assigned the rows
   */
  default int[] labels() {
    int[] out = new int[rows()];
    for (int c = 0; c < chunks(); c++) {
      int[] part = read(c, chunk -> {
        int[] l = new int[chunk.rows()];
        for (int r = 0; r < l.length; r++) {
          l[r] = chunk.label(r);
        }
        return l;
      });
      System.arraycopy(part, 0, out, c * CHUNK, part.length);
    }
    return out;
  }

  /**
   * {@code features}' rows held in this JVM, copied into chunks, each step run on up to the
   * context's parallelism of chunks at once on its executor (so a step keeps no state of its
   * own, as on an engine): for a fit that engines run on chunks, run locally with the same code
   * (and so the same results, to the last bit).
   */
  static ChunkedRows inMemory(dev.privseg.core.segment.FeatureMatrix features,
      dev.privseg.core.segment.SegmentContext context) {
    return InMemoryChunks.of(features.data(), features.rows(), features.cols(),
        context.executor(), context.parallelism());
  }

  /**
   * {@code chunks} held in this JVM as they are (not copied): chunk {@code c} at index
   * {@code c}, each full but the last, every one of {@code cols} features; each step run on up
   * to the context's parallelism of chunks at once on its executor.
   *
   * @throws dev.privseg.core.ConfigurationException if the chunks are not numbered in order,
   *     a chunk but the last is not full, or one has another number of features
   */
  static ChunkedRows inMemory(Chunk[] chunks, int cols,
      dev.privseg.core.segment.SegmentContext context) {
    return new InMemoryChunks(chunks, cols, context.executor(), context.parallelism());
  }
}
