package dev.privseg.core.segment.kmeans;

import java.util.SplittableRandom;

/** k-means++ seeding (Arthur &amp; Vassilvitskii 2007): D^2-weighted sampling of centres. */
final class KMeansPlusPlus {
  private KMeansPlusPlus() {}

  static double[] seed(double[] x, int n, int d, int k, SplittableRandom random) {
    double[] centroids = new double[k * d];
    double[] nearest = new double[n];
    int first = random.nextInt(n);
    System.arraycopy(x, first * d, centroids, 0, d);
    double total = 0;
    for (int r = 0; r < n; r++) {
      nearest[r] = distance(x, r * d, centroids, 0, d);
      total += nearest[r];
    }
    for (int c = 1; c < k; c++) {
      int chosen;
      if (total <= 0) {
        chosen = random.nextInt(n); // all rows coincide with chosen centres
      } else {
        double target = random.nextDouble() * total;
        double cumulative = 0;
        chosen = n - 1;
        for (int r = 0; r < n; r++) {
          cumulative += nearest[r];
          if (cumulative > target) {
            chosen = r;
            break;
          }
        }
      }
      System.arraycopy(x, chosen * d, centroids, c * d, d);
      total = 0;
      for (int r = 0; r < n; r++) {
        double dist = distance(x, r * d, centroids, c * d, d);
        if (dist < nearest[r]) {
          nearest[r] = dist;
        }
        total += nearest[r];
      }
    }
    return centroids;
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
