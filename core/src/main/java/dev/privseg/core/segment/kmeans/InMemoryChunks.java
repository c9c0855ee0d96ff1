package dev.privseg.core.segment.kmeans;

import dev.privseg.core.Checks;
import dev.privseg.core.internal.Parallel;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows held in this JVM as chunks, each step run on up to {@code parallelism} chunks at once on
 * an executor (a step touches only its own chunk); see {@link ChunkedRows#inMemory}.
 */
final class InMemoryChunks implements ChunkedRows {
  private final Chunk[] chunks;
  private final int rows;
  private final int cols;
  private final java.util.concurrent.Executor executor;
  private final int parallelism;

  InMemoryChunks(Chunk[] chunks, int cols, java.util.concurrent.Executor executor,
      int parallelism) {
    Checks.notNull(chunks, "chunks");
    Checks.atLeast(cols, 1, "features");
    int n = 0;
    for (int c = 0; c < chunks.length; c++) {
      Checks.notNull(chunks[c], "chunk");
      Checks.check(chunks[c].index() == c && chunks[c].cols() == cols
          && (c == chunks.length - 1 || chunks[c].rows() == CHUNK),
          "chunk %s must be chunk number %s of %s features, full unless it is the last",
          c, c, cols);
      n += chunks[c].rows();
    }
    this.chunks = chunks.clone();
    this.rows = n;
    this.cols = cols;
    this.executor = Checks.notNull(executor, "executor");
    this.parallelism = Math.max(1, parallelism);
  }

  /** The rows of a {@code rows} x {@code cols} row-major matrix, copied into chunks. */
  static InMemoryChunks of(double[] x, int rows, int cols,
      java.util.concurrent.Executor executor, int parallelism) {
    Chunk[] chunks = new Chunk[(rows + CHUNK - 1) / CHUNK];
    for (int c = 0; c < chunks.length; c++) {
      int from = c * CHUNK;
      int n = Math.min(CHUNK, rows - from);
      chunks[c] = new Chunk(c, cols, java.util.Arrays.copyOfRange(x, from * cols,
          (from + n) * cols));
    }
    return new InMemoryChunks(chunks, cols, executor, parallelism);
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public int cols() {
    return cols;
  }

  @Override
  public <R extends Serializable> List<R> update(ChunkStep<R> step) {
    List<R> out = new ArrayList<>(java.util.Collections.nCopies(chunks.length, null));
    Parallel.forEachChunk(executor, parallelism, chunks.length,
        c -> out.set(c, step.apply(chunks[c])));
    return out;
  }

  @Override
  public <R extends Serializable> R read(int chunk, ChunkStep<R> step) {
    return step.apply(chunks[chunk].copy());
  }

  @Override
  public int[] labels() {
    int[] out = new int[rows];
    for (Chunk c : chunks) {
      for (int r = 0; r < c.rows(); r++) {
        out[c.firstRow() + r] = c.label(r);
      }
    }
    return out;
  }
}
