package dev.privseg.core.segment.kmeans;

import java.util.Arrays;
import java.util.List;

/**
 * The passes of a Lloyd fit over rows held in chunks elsewhere ({@link ChunkedRows}), each a
 * {@link ChunkStep} that runs the same per-chunk code as the local fit, in row order. Rows are
 * searched in full every assignment (no bounds): the bounds only skip work, they never change a
 * choice, so the fit is the local one's.
 */
final class ChunkedLloyd implements LloydRows {
  private final ChunkedRows rows;
  private final int k;
  private final int d;

  ChunkedLloyd(ChunkedRows rows, int k) {
    this.rows = rows;
    this.k = k;
    this.d = rows.cols();
  }

  @Override
  public SeedRows seedRows() {
    return new SeedRows() {
      @Override
      public int rows() {
        return rows.rows();
      }

      @Override
      public int chunks() {
        return rows.chunks();
      }

      @Override
      public double[] sweep(int from, int to, double[] centroids) {
        List<Double> totals = rows.update(new Sweep(from, to, centroids));
        double[] out = new double[totals.size()];
        for (int c = 0; c < out.length; c++) {
          out[c] = totals.get(c);
        }
        return out;
      }

      @Override
      public Picked row(int row) {
        return rows.read(row / ChunkedRows.CHUNK, new RowOf(row % ChunkedRows.CHUNK));
      }

      @Override
      public Picked pick(int chunk, double within) {
        return rows.read(chunk, new Pick(within));
      }
    };
  }

  @Override
  public Partial[] firstAssignment(double[] centroids) {
    return rows.update(new FirstAssignment(k, centroids)).toArray(Partial[]::new);
  }

  @Override
  public Partial[] assign(double[] centroids, double[] squaredMoves) {
    return rows.update(new Assignment(k, centroids)).toArray(Partial[]::new);
  }

  @Override
  public int farthestRow(double[] centroids, double[] next, int empty, long[] counts) {
    double best = -1;
    int row = 0;
    for (double[] found : rows.update(new Farthest(centroids, next, empty, counts))) {
      if (found[0] > best) {
        best = found[0];
        row = (int) found[1];
      }
    }
    return row;
  }

  @Override
  public double[] row(int r) {
    return seedRows().row(r).values();
  }

  @Override
  public double exactInertia(double[] centroids) {
    double total = 0;
    for (double chunk : rows.update(new Inertia(centroids))) {
      total += chunk;
    }
    return total;
  }

  /** Brings the chunk's weights up to date with centres {@code from..to}; their total. */
  private record Sweep(int from, int to, double[] centroids) implements ChunkStep<Double> {
    @Override
    public Double apply(Chunk chunk) {
      if (chunk.weights == null) {
        chunk.weights = new double[chunk.rows()];
      }
      return KMeansPlusPlus.sweepRange(chunk.values(), chunk.weights, 0, chunk.rows(),
          chunk.cols(), centroids, from, to);
    }
  }

  /** The chunk's row {@code row}, with its weight. */
  private record RowOf(int row) implements ChunkStep<SeedRows.Picked> {
    @Override
    public SeedRows.Picked apply(Chunk chunk) {
      int d = chunk.cols();
      return new SeedRows.Picked(chunk.firstRow() + row,
          chunk.weights == null ? Double.POSITIVE_INFINITY : chunk.weights[row],
          Arrays.copyOfRange(chunk.values(), row * d, row * d + d));
    }
  }

  /** The chunk's row where its running weight first exceeds {@code within}. */
  private record Pick(double within) implements ChunkStep<SeedRows.Picked> {
    @Override
    public SeedRows.Picked apply(Chunk chunk) {
      return new RowOf(KMeansPlusPlus.pickRange(chunk.weights, 0, chunk.rows(), within))
          .apply(chunk);
    }
  }

  /** Assigns the chunk's rows to their nearest seed. */
  private record FirstAssignment(int k, double[] centroids) implements ChunkStep<Partial> {
    @Override
    public Partial apply(Chunk chunk) {
      int d = chunk.cols();
      chunk.labels = new int[chunk.rows()];
      Partial p = new Partial(k, d);
      Lloyd.firstAssignRange(chunk.values(), d, chunk.labels, 0, chunk.rows(), centroids,
          new DistanceBlock(k, d, false), p);
      return p;
    }
  }

  /** Reassigns the chunk's rows, searched in full in row order, as a plain local fit does. */
  private record Assignment(int k, double[] centroids) implements ChunkStep<Partial> {
    @Override
    public Partial apply(Chunk chunk) {
      int d = chunk.cols();
      double[] x = chunk.values();
      Partial p = new Partial(k, d);
      DistanceBlock block = new DistanceBlock(k, d, false);
      for (int start = 0; start < chunk.rows(); start += DistanceBlock.SIZE) {
        int count = Math.min(chunk.rows() - start, DistanceBlock.SIZE);
        block.loadRange(x, start, count);
        block.searchNearest(centroids);
        for (int i = 0; i < count; i++) {
          Lloyd.settle(x, d, chunk.labels, start + i, block, i, p);
        }
      }
      return p;
    }
  }

  /** The chunk's farthest row from its centre, as {@code {distance, row among all rows}}. */
  private record Farthest(double[] centroids, double[] next, int empty, long[] counts)
      implements ChunkStep<double[]> {
    @Override
    public double[] apply(Chunk chunk) {
      double[] found = Lloyd.farthestInRange(chunk.values(), chunk.cols(), chunk.labels, 0,
          chunk.rows(), centroids, next, empty, counts);
      found[1] += chunk.firstRow();
      return found;
    }
  }

  /** The chunk's rows' squared distances to their centres, summed in row order. */
  private record Inertia(double[] centroids) implements ChunkStep<Double> {
    @Override
    public Double apply(Chunk chunk) {
      int d = chunk.cols();
      double sum = 0;
      for (int r = 0; r < chunk.rows(); r++) {
        sum += Distances.squared(chunk.values(), r * d, centroids, chunk.labels[r] * d, d);
      }
      return sum;
    }
  }
}
