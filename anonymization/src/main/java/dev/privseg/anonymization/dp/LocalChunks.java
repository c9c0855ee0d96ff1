package dev.privseg.anonymization.dp;

import dev.privseg.core.segment.kmeans.Chunk;
import dev.privseg.core.segment.kmeans.ChunkStep;
import dev.privseg.core.segment.kmeans.ChunkedRows;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** Rows held in this JVM as chunks, for the local fits that engines also run on chunks. */
final class LocalChunks implements ChunkedRows {
  private final Chunk[] chunks;
  private final int rows;
  private final int cols;

  LocalChunks(Chunk[] chunks, int rows, int cols) {
    this.chunks = chunks;
    this.rows = rows;
    this.cols = cols;
  }

  /** The rows of a {@code rows} x {@code cols} row-major matrix, copied into chunks. */
  static LocalChunks of(double[] x, int rows, int cols) {
    Chunk[] chunks = new Chunk[(rows + CHUNK - 1) / CHUNK];
    for (int c = 0; c < chunks.length; c++) {
      int from = c * CHUNK;
      int n = Math.min(CHUNK, rows - from);
      chunks[c] = new Chunk(c, cols, java.util.Arrays.copyOfRange(x, from * cols,
          (from + n) * cols));
    }
    return new LocalChunks(chunks, rows, cols);
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

  /** Every row's segment, in row order, after a fit assigned them. */
  int[] labels() {
    int[] out = new int[rows];
    for (Chunk c : chunks) {
      for (int r = 0; r < c.rows(); r++) {
        out[c.firstRow() + r] = c.label(r);
      }
    }
    return out;
  }
}
