package dev.privseg.core.segment.kmeans;

import dev.privseg.core.internal.Parallel;
import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentationResult;
import java.util.Arrays;
import java.util.SplittableRandom;

/** One k-means fit. Single use; not thread-safe itself, but fans work out to the executor. */
final class Lloyd {
  /** Rows per chunk: fixed, so chunk order (and thus every sum) is machine-independent. */
  static final int CHUNK = 8192;

  private final double[] x;
  private final int n;
  private final int d;
  private final int k;
  private final long seed;
  private final int maxIterations;
  private final double tolerance;
  private final SegmentContext context;
  private final int chunks;
  private final boolean accelerated;
  /** Per row: a lower bound on the distance to every centre but its own, plus {@link #drift}. */
  private final double[] lower;
  /** Per centre: half the distance to the nearest other centre. */
  private final double[] half;
  /** The sum over past iterations of the largest centre move. */
  private double drift;
  /** Whether the last update restarted an empty cluster. */
  private boolean repaired;

  Lloyd(FeatureMatrix m, int k, long seed, int maxIterations, double tolerance,
      boolean accelerated, SegmentContext context) {
    this.x = m.data();
    this.n = m.rows();
    this.d = m.cols();
    this.k = k;
    this.seed = seed;
    this.maxIterations = maxIterations;
    this.tolerance = tolerance;
    this.context = context;
    this.chunks = (n + CHUNK - 1) / CHUNK;
    this.accelerated = accelerated;
    this.lower = accelerated ? new double[n] : null;
    this.half = new double[k];
  }

  SegmentationResult run() {
    double[] centroids = KMeansPlusPlus.seed(x, n, d, k, new SplittableRandom(seed), context);
    int[] labels = new int[n];
    Arrays.fill(labels, -1);
    Partial[] partials = new Partial[chunks];
    for (int c = 0; c < chunks; c++) {
      partials[c] = new Partial(k, d);
    }
    double previous = Double.POSITIVE_INFINITY;
    double inertia = 0;
    int iteration = 0;
    boolean converged = false;
    while (iteration < maxIterations) {
      context.checkCancelled();
      final double[] current = centroids;
      final double[] transposed = transpose(current);
      if (accelerated) {
        halfDistances(current);
      }
      Parallel.forEachChunk(context.executor(), context.parallelism(), chunks,
          c -> assignChunk(c, transposed, labels, partials[c]));
      iteration++;
      Partial total = reduce(partials);
      inertia = total.inertia;
      centroids = update(total);
      if (accelerated) {
        drift += largestMove(current, centroids);
      }
      context.progress(iteration, maxIterations);
      if (!repaired && (total.changed == 0
          || (Double.isFinite(previous) && previous - inertia <= tolerance * previous))) {
        converged = true;
        break;
      }
      previous = inertia;
    }
    // The labels are those of the last assignment; the centroids reported are the means of those
    // assignments, which is what profiles and quality figures describe.
    return new SegmentationResult(labels, k, centroids, inertia, iteration, converged);
  }

  private void assignChunk(int chunk, double[] centroidsT, int[] labels, Partial p) {
    p.reset();
    int from = chunk * CHUNK;
    int to = Math.min(n, from + CHUNK);
    double[] sums = p.sums;
    long[] counts = p.counts;
    double[] dist = p.dist;
    for (int r = from; r < to; r++) {
      int base = r * d;
      int own = labels[r];
      int best;
      double bestDist;
      if (accelerated && own >= 0 && (bestDist = ownDistanceIfStillNearest(base, own, r,
          centroidsT)) >= 0) {
        best = own; // Hamerly's bounds prove no other centre is nearer: no search
      } else {
        // Distances to all k centres at once over a feature-major copy of the centres: the
        // inner loop runs over centres with no dependency between its iterations, instead of k
        // dependent chains of floating-point additions (measured 1.5x faster per iteration).
        java.util.Arrays.fill(dist, 0);
        for (int j = 0; j < d; j++) {
          double xj = x[base + j];
          int cj = j * k;
          for (int c = 0; c < k; c++) {
            double diff = xj - centroidsT[cj + c];
            dist[c] += diff * diff;
          }
        }
        best = 0;
        bestDist = dist[0];
        for (int c = 1; c < k; c++) {
          if (dist[c] < bestDist) {
            bestDist = dist[c];
            best = c;
          }
        }
        if (accelerated) {
          double second = Double.POSITIVE_INFINITY;
          for (int c = 0; c < k; c++) {
            if (c != best && dist[c] < second) {
              second = dist[c];
            }
          }
          lower[r] = Math.sqrt(second) + drift;
        }
      }
      if (labels[r] != best) {
        labels[r] = best;
        p.changed++;
      }
      counts[best]++;
      int sb = best * d;
      for (int j = 0; j < d; j++) {
        sums[sb + j] += x[base + j];
      }
      p.inertia += bestDist;
      if (bestDist > p.farthestDist) {
        p.farthestDist = bestDist;
        p.farthestRow = r;
      }
    }
  }

  /**
   * Hamerly (2010): if the row's distance to its own centre is below both half the distance from
   * that centre to the nearest other one and the row's lower bound on every other centre, no
   * other centre can be nearer. Returns the squared distance to the own centre in that case, and
   * -1 when a full search is needed. The distance is summed in the same order as the full search,
   * and a small margin absorbs rounding in the bounds, so results equal plain Lloyd's.
   */
  private double ownDistanceIfStillNearest(int base, int own, int r, double[] centroidsT) {
    double d2 = 0;
    for (int j = 0; j < d; j++) {
      double diff = x[base + j] - centroidsT[j * k + own];
      d2 += diff * diff;
    }
    double bound = Math.max(half[own], lower[r] - drift);
    return Math.sqrt(d2) * (1 + 1e-9) < bound ? d2 : -1;
  }

  private void halfDistances(double[] centroids) {
    for (int a = 0; a < k; a++) {
      double nearest = Double.POSITIVE_INFINITY;
      for (int b = 0; b < k; b++) {
        if (a != b) {
          nearest = Math.min(nearest, KMeansPlusPlus.distance(centroids, a * d, centroids, b * d,
              d));
        }
      }
      half[a] = Math.sqrt(nearest) / 2;
    }
  }

  private double largestMove(double[] before, double[] after) {
    double largest = 0;
    for (int c = 0; c < k; c++) {
      largest = Math.max(largest, Math.sqrt(KMeansPlusPlus.distance(before, c * d, after, c * d,
          d)));
    }
    // Rounding margin: the move is an upper bound only up to a few ulps.
    return largest * (1 + 1e-12);
  }

  /** The centres transposed to feature-major order: element (j, c) at {@code j * k + c}. */
  private double[] transpose(double[] centroids) {
    double[] t = new double[k * d];
    for (int c = 0; c < k; c++) {
      for (int j = 0; j < d; j++) {
        t[j * k + c] = centroids[c * d + j];
      }
    }
    return t;
  }

  private Partial reduce(Partial[] partials) {
    Partial total = new Partial(k, d);
    for (Partial p : partials) {
      for (int i = 0; i < total.sums.length; i++) {
        total.sums[i] += p.sums[i];
      }
      for (int c = 0; c < k; c++) {
        total.counts[c] += p.counts[c];
      }
      total.inertia += p.inertia;
      total.changed += p.changed;
      if (p.farthestDist > total.farthestDist) {
        total.farthestDist = p.farthestDist;
        total.farthestRow = p.farthestRow;
      }
    }
    return total;
  }

  private double[] update(Partial total) {
    repaired = false;
    double[] next = new double[k * d];
    for (int c = 0; c < k; c++) {
      if (total.counts[c] == 0) {
        // Empty cluster: restart it at the row farthest from its centre, the standard repair
        // (as in scikit-learn). The row keeps its label until the next assignment moves it, and
        // the run does not count as converged this iteration.
        int r = total.farthestRow;
        System.arraycopy(x, r * d, next, c * d, d);
        repaired = true;
        total.farthestDist = -1;
        continue;
      }
      double inv = 1.0 / total.counts[c];
      for (int j = 0; j < d; j++) {
        next[c * d + j] = total.sums[c * d + j] * inv;
      }
    }
    return next;
  }

  /** Per-chunk accumulators. */
  private static final class Partial {
    final double[] sums;
    final long[] counts;
    final double[] dist;
    double inertia;
    long changed;
    double farthestDist;
    int farthestRow;

    Partial(int k, int d) {
      sums = new double[k * d];
      counts = new long[k];
      dist = new double[k];
      farthestDist = -1;
    }

    void reset() {
      Arrays.fill(sums, 0);
      Arrays.fill(counts, 0);
      inertia = 0;
      changed = 0;
      farthestDist = -1;
      farthestRow = 0;
    }
  }
}
