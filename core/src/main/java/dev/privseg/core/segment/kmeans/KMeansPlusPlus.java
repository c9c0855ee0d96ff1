package dev.privseg.core.segment.kmeans;

import dev.privseg.core.internal.Parallel;
import dev.privseg.core.segment.SegmentContext;
import java.util.SplittableRandom;

/**
 * k-means++ seeding (Arthur &amp; Vassilvitskii 2007): D^2-weighted sampling of centres. The
 * distance updates run in parallel chunks; the sampling itself is one sequential scan, so the
 * chosen centres do not depend on the number of threads.
 */
final class KMeansPlusPlus {
  private KMeansPlusPlus() {}

  static double[] seed(double[] x, int n, int d, int k, SplittableRandom random,
      SegmentContext context) {
    double[] centroids = new double[k * d];
    double[] nearest = new double[n];
    java.util.Arrays.fill(nearest, Double.POSITIVE_INFINITY);
    int chunks = (n + Lloyd.CHUNK - 1) / Lloyd.CHUNK;
    double[] chunkTotals = new double[chunks];
    int chosen = random.nextInt(n);
    for (int c = 0; c < k; c++) {
      if (c > 0) {
        chosen = sample(nearest, n, sum(chunkTotals), random);
      }
      System.arraycopy(x, chosen * d, centroids, c * d, d);
      final int centre = c;
      Parallel.forEachChunk(context.executor(), context.parallelism(), chunks, chunk -> {
        int from = chunk * Lloyd.CHUNK;
        int to = Math.min(n, from + Lloyd.CHUNK);
        double total = 0;
        for (int r = from; r < to; r++) {
          double dist = distance(x, r * d, centroids, centre * d, d);
          if (dist < nearest[r]) {
            nearest[r] = dist;
          }
          total += nearest[r];
        }
        chunkTotals[chunk] = total;
      });
      context.checkCancelled();
    }
    return centroids;
  }

  private static double sum(double[] values) {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s;
  }

  private static int sample(double[] nearest, int n, double total, SplittableRandom random) {
    if (!(total > 0)) {
      return random.nextInt(n); // every row coincides with a chosen centre
    }
    double target = random.nextDouble() * total;
    double cumulative = 0;
    for (int r = 0; r < n; r++) {
      cumulative += nearest[r];
      if (cumulative > target) {
        return r;
      }
    }
    return n - 1;
  }

  static double distance(double[] x, int xi, double[] c, int ci, int d) {
    double sum = 0;
    for (int j = 0; j < d; j++) {
      double diff = x[xi + j] - c[ci + j];
      sum += diff * diff;
    }
    return sum;
  }
}
