package dev.privseg.core.segment.kmeans;

import dev.privseg.core.internal.Parallel;
import dev.privseg.core.segment.SegmentContext;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * k-means++ seeding (Arthur &amp; Vassilvitskii 2007): each centre after the first is a row drawn
 * with probability proportional to its squared distance to the nearest centre chosen so far (its
 * D² weight).
 *
 * <p>The textbook algorithm sweeps the whole matrix once per centre to bring every weight up to
 * date: k reads of the matrix, which on data larger than the caches is most of a short fit's
 * time. Here the weights are brought up to date only now and then, and each centre is drawn by
 * rejection sampling against the weights as they stand: a row proposed with probability
 * proportional to its stale weight {@code u} (which is at least its current weight {@code w},
 * since centres are only added) is accepted with probability {@code w / u}, its current weight
 * being computed for that row alone. An accepted row is thus drawn with probability proportional
 * to {@code w} exactly, as in k-means++: this is a faster way of drawing from the same
 * distribution, not an approximation of it. When proposals keep being rejected (the centres
 * chosen since the last sweep have taken most of the weight), a sweep brings the weights up to
 * date and the draw is made from them. On most data one sweep, for the first centre, is all that
 * is needed.
 *
 * <p>Sweeps run in parallel chunks; a draw picks a chunk by its total and then scans only that
 * chunk, in a fixed order, so the chosen centres do not depend on the number of threads, nor on
 * where the rows are held ({@link SeedRows}: one array here, chunks an engine keeps elsewhere).
 */
final class KMeansPlusPlus {
  /** Rows per chunk of a sweep and of a draw's scan: fixed, so draws are machine-independent. */
  static final int CHUNK = Lloyd.CHUNK;

  private final SeedRows rows;
  private final int n;
  private final int d;
  private final SplittableRandom random;
  private final SegmentContext context;
  private final double[] centroids;
  /** Per chunk: the sum of its rows' weights as last swept. */
  private double[] chunkTotals;
  /** The number of centres the weights account for. */
  private int swept;
  /**
   * Rejected proposals after which a sweep is cheaper than going on: a proposal scans up to a
   * chunk of weights, a sweep reads the whole matrix.
   */
  private final int patience;

  private KMeansPlusPlus(SeedRows rows, int d, int k, SplittableRandom random,
      SegmentContext context) {
    this.rows = rows;
    this.n = rows.rows();
    this.d = d;
    this.random = random;
    this.context = context;
    this.centroids = new double[k * d];
    this.chunkTotals = new double[rows.chunks()];
    this.patience = Math.max(16, n / 4096);
  }

  /**
   * The seeded centres (row-major, {@code k * d}) for the {@code n} rows of {@code x}
   * (row-major, {@code n * d}, {@code n >= 1}), drawn from {@code random}.
   */
  static double[] seed(double[] x, int n, int d, int k, SplittableRandom random,
      SegmentContext context) {
    return seed(arrayRows(x, n, d, context), d, k, random, context);
  }

  /** The rows of {@code x} (row-major, {@code n * d}), their weights held beside them. */
  static SeedRows arrayRows(double[] x, int n, int d, SegmentContext context) {
    return new ArrayRows(x, n, d, context);
  }

  /** The seeded centres for {@code rows} of {@code d} features, drawn from {@code random}. */
  static double[] seed(SeedRows rows, int d, int k, SplittableRandom random,
      SegmentContext context) {
    return new KMeansPlusPlus(rows, d, k, random, context).centres(k);
  }

  private double[] centres(int k) {
    take(rows.row(random.nextInt(n)), 0);
    for (int c = 1; c < k; c++) {
      take(draw(c), c);
    }
    return centroids;
  }

  private void take(SeedRows.Picked row, int centre) {
    System.arraycopy(row.values(), 0, centroids, centre * d, d);
    if (centre == 0) {
      sweep(1);
    }
  }

  /** Draws centre {@code c}: a row with probability proportional to its current D² weight. */
  private SeedRows.Picked draw(int c) {
    int rejected = 0;
    while (true) {
      SeedRows.Picked row = sample();
      double stale = row.weight();
      if (swept == c || stale == 0) {
        // Up to date: the draw is exact. (A zero weight is drawn only when every weight is zero:
        // every row coincides with a chosen centre, and any row will do.)
        return row;
      }
      double current = stale;
      for (int a = swept; a < c; a++) {
        current = Math.min(current, Distances.squared(row.values(), 0, centroids, a * d, d));
      }
      if (random.nextDouble() * stale < current) {
        return row;
      }
      if (++rejected == patience) {
        sweep(c);
      }
    }
  }

  /** Brings every row's weight up to date with centres {@code swept..to}, and the totals. */
  private void sweep(int to) {
    chunkTotals = rows.sweep(swept, to, centroids);
    swept = to;
    context.checkCancelled();
  }

  /**
   * Draws a row with probability proportional to its weight: a chunk by its total, then a row
   * within it. Both steps scan in a fixed order, so the draw is machine-independent.
   */
  private SeedRows.Picked sample() {
    double total = 0;
    for (double t : chunkTotals) {
      total += t;
    }
    if (!(total > 0)) {
      return rows.row(random.nextInt(n)); // every row coincides with a chosen centre
    }
    double target = random.nextDouble() * total;
    int chunk = -1;
    double before = 0;
    for (int c = 0; c < chunkTotals.length; c++) {
      if (chunkTotals[c] > 0) {
        chunk = c; // only a chunk with weight can be drawn, even when rounding overshoots
        if (before + chunkTotals[c] > target) {
          break;
        }
        before += chunkTotals[c];
      }
    }
    return rows.pick(chunk, target - before);
  }

  /**
   * Brings the weights of rows {@code from..to} of {@code x} (row-major, {@code d} features; their
   * weights at the same indexes of {@code weights}) up to date with centres {@code first..last} of
   * {@code centroids}; returns their total, summed in row order. A sweep from centre 0 starts
   * every weight afresh.
   */
  static double sweepRange(double[] x, double[] weights, int from, int to, int d,
      double[] centroids, int first, int last) {
    double total = 0;
    for (int r = from; r < to; r++) {
      double w = first == 0 ? Double.POSITIVE_INFINITY : weights[r];
      for (int a = first; a < last; a++) {
        // Without branches: whether a centre is nearer is a coin toss early on.
        w = Math.min(w, Distances.squared(x, r * d, centroids, a * d, d));
      }
      weights[r] = w;
      total += w;
    }
    return total;
  }

  /**
   * The index in {@code from..to} of the row where the running sum of the positive
   * {@code weights}, in order, first exceeds {@code within}; the last row with weight if
   * rounding leaves the sum short.
   */
  static int pickRange(double[] weights, int from, int to, double within) {
    double cumulative = 0;
    int last = from;
    for (int r = from; r < to; r++) {
      if (weights[r] > 0) {
        last = r;
        cumulative += weights[r];
        if (cumulative > within) {
          return r;
        }
      }
    }
    return last; // rounding left the target just past the chunk's own sum
  }

  /** Rows in one array, their weights beside them; sweeps run in parallel chunks. */
  private static final class ArrayRows implements SeedRows {
    private final double[] x;
    private final int n;
    private final int d;
    private final SegmentContext context;
    /** Per row: its squared distance to the nearest of the centres swept. */
    private final double[] weights;

    ArrayRows(double[] x, int n, int d, SegmentContext context) {
      this.x = x;
      this.n = n;
      this.d = d;
      this.context = context;
      this.weights = new double[n];
    }

    @Override
    public int rows() {
      return n;
    }

    @Override
    public int chunks() {
      return (n + CHUNK - 1) / CHUNK;
    }

    @Override
    public double[] sweep(int from, int to, double[] centroids) {
      double[] totals = new double[chunks()];
      Parallel.forEachChunk(context.executor(), context.parallelism(), totals.length,
          chunk -> totals[chunk] = sweepRange(x, weights, chunk * CHUNK,
              Math.min(n, chunk * CHUNK + CHUNK), d, centroids, from, to));
      return totals;
    }

    @Override
    public Picked row(int row) {
      return new Picked(row, weights[row], Arrays.copyOfRange(x, row * d, row * d + d));
    }

    @Override
    public Picked pick(int chunk, double within) {
      return row(pickRange(weights, chunk * CHUNK, Math.min(n, chunk * CHUNK + CHUNK), within));
    }
  }
}
