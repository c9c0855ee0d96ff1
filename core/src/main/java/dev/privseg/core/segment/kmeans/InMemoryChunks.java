package dev.privseg.core.segment.kmeans;

import dev.privseg.core.Checks;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** Rows held in this JVM as chunks; see {@link ChunkedRows#inMemory(Chunk[], int)}. */
final class InMemoryChunks implements ChunkedRows {
  private final Chunk[] chunks;
  private final int rows;
  private final int cols;

  InMemoryChunks(Chunk[] chunks, int cols) {
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
  }

  /** The rows of a {@code rows} x {@code cols} row-major matrix, copied into chunks. */
  static InMemoryChunks of(double[] x, int rows, int cols) {
    Chunk[] chunks = new Chunk[(rows + CHUNK - 1) / CHUNK];
    for (int c = 0; c < chunks.length; c++) {
      int from = c * CHUNK;
      int n = Math.min(CHUNK, rows - from);
      chunks[c] = new Chunk(c, cols, java.util.Arrays.copyOfRange(x, from * cols,
          (from + n) * cols));
    }
    return new InMemoryChunks(chunks, cols);
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
    List<R> out = new ArrayList<>(chunks.length);
    for (Chunk c : chunks) {
      out.add(step.apply(c));
    }
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
