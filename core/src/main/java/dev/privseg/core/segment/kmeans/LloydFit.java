package dev.privseg.core.segment.kmeans;

import dev.privseg.core.segment.SegmentContext;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Lloyd's algorithm from k-means++ seeds, as a driver over {@link LloydRows}: it keeps the
 * centres, their sums and sizes and the inertia, and leaves every pass over the rows to the rows'
 * holder. The chunks' parts are added in chunk order, so a fit makes the same choices, to the
 * last bit, wherever the rows are held and however many threads or machines process them.
 */
final class LloydFit {
  private final LloydRows rows;
  private final int k;
  private final int d;
  private final long n;
  private final long seed;
  private final int maxIterations;
  private final double tolerance;
  private final SegmentContext context;
  /** Per centre: the sum of its members' rows, kept up to date as rows change centre. */
  private final double[] sums;
  /** Per centre: its number of members. */
  private final long[] counts;

  /**
   * What a fit found.
   *
   * @param centroids the means of the last assignment's segments (row-major, k × d)
   * @param sizes the segments' sizes
   * @param inertia the sum of squared distances to the centroids the rows were assigned to
   * @param iterations the iterations run
   * @param converged whether the fit converged before the iteration limit
   * @param rowsSearched rows searched over all assignments
   */
  record Outcome(double[] centroids, long[] sizes, double inertia, int iterations,
      boolean converged, long rowsSearched) {}

  LloydFit(LloydRows rows, long n, int d, int k, long seed, int maxIterations, double tolerance,
      SegmentContext context) {
    this.rows = rows;
    this.n = n;
    this.d = d;
    this.k = k;
    this.seed = seed;
    this.maxIterations = maxIterations;
    this.tolerance = tolerance;
    this.context = context;
    this.sums = new double[k * d];
    this.counts = new long[k];
  }

  Outcome run() {
    double[] centroids = KMeansPlusPlus.seed(rows.seedRows(), d, k, new SplittableRandom(seed),
        context);
    Partial step = combine(rows.firstAssignment(centroids));
    long rowsSearched = step.searched;
    double inertia = step.nearestSum;
    long changed = n;
    int iteration = 1;
    double previous = Double.POSITIVE_INFINITY;
    boolean converged = false;
    double[] next;
    while (true) {
      context.progress(iteration, maxIterations);
      boolean repaired = false;
      next = means();
      for (int c = 0; c < k; c++) {
        if (counts[c] == 0) {
          // Empty cluster: restart it at the row farthest from its centre, the standard repair
          // (as in scikit-learn). The row keeps its label until the next assignment moves it,
          // and the run does not count as converged this iteration.
          System.arraycopy(rows.row(rows.farthestRow(centroids, next, c, counts)), 0, next,
              c * d, d);
          repaired = true;
        }
      }
      if (!repaired && (changed == 0
          || (Double.isFinite(previous) && previous - inertia <= tolerance * previous))) {
        converged = true;
        break;
      }
      if (iteration == maxIterations) {
        break;
      }
      context.checkCancelled();
      previous = inertia;
      double[] squaredMoves = new double[k];
      inertia -= moveCentres(centroids, next, squaredMoves);
      centroids = next;
      step = combine(rows.assign(centroids, squaredMoves));
      rowsSearched += step.searched;
      inertia -= step.decrease;
      changed = step.changed;
      iteration++;
    }
    // The labels are those of the last assignment; the centroids reported are the means of those
    // assignments, which is what profiles and quality figures describe.
    // A search of every row has summed their distances already, in the order of the exact pass.
    double exact = step.searched == n ? step.nearestSum : rows.exactInertia(centroids);
    return new Outcome(next, counts.clone(), exact, iteration, converged, rowsSearched);
  }

  /** Adds every chunk's changes to the running sums and sizes, in chunk order. */
  private Partial combine(Partial[] partials) {
    Partial total = new Partial(k, d);
    for (Partial p : partials) {
      for (int i = 0; i < sums.length; i++) {
        sums[i] += p.sums[i];
      }
      for (int c = 0; c < k; c++) {
        counts[c] += p.counts[c];
        if (counts[c] == 0) {
          Arrays.fill(sums, c * d, (c + 1) * d, 0); // no rounding residue in an empty cluster
        }
      }
      total.decrease += p.decrease;
      total.changed += p.changed;
      total.searched += p.searched;
      total.nearestSum += p.nearestSum;
    }
    return total;
  }

  /** The mean of each non-empty cluster; empty clusters are left for the caller to repair. */
  private double[] means() {
    double[] next = new double[k * d];
    for (int c = 0; c < k; c++) {
      if (counts[c] > 0) {
        double inv = 1.0 / counts[c];
        for (int j = 0; j < d; j++) {
          next[c * d + j] = sums[c * d + j] * inv;
        }
      }
    }
    return next;
  }

  /**
   * Returns by how much moving the centres to their members' means lowered the inertia: the sum
   * of size times squared move; writes each centre's squared move to {@code squaredMoves}.
   */
  private double moveCentres(double[] before, double[] after, double[] squaredMoves) {
    double decrease = 0;
    for (int c = 0; c < k; c++) {
      double squared = Distances.squared(before, c * d, after, c * d, d);
      squaredMoves[c] = squared;
      decrease += counts[c] * squared;
    }
    return decrease;
  }
}
