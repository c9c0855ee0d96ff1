package dev.privseg.core.segment.kmeans;

/**
 * Squared Euclidean distance between two points, for k-means seeding, bounds and inertia. It sums
 * over features in order from zero, as {@link DistanceBlock} does for full searches, so they agree
 * to the last bit: a row's distance does not depend on which path computed it, which the exact
 * equality of bounded and plain fits relies on.
 */
final class Distances {
  private Distances() {}

  /** The squared Euclidean distance between {@code x[xi..xi+d)} and {@code c[ci..ci+d)}. */
  static double squared(double[] x, int xi, double[] c, int ci, int d) {
    double sum = 0;
    for (int j = 0; j < d; j++) {
      double diff = x[xi + j] - c[ci + j];
      sum += diff * diff;
    }
    return sum;
  }
}
