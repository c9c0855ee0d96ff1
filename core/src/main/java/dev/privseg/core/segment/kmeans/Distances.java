package dev.privseg.core.segment.kmeans;

/**
 * Squared Euclidean distances for k-means: between two points (seeding, bounds, inertia), and
 * from two rows to every centre at once (full searches). Both sum over features in order from
 * zero, so they agree to the last bit: a row's distance does not depend on which path computed
 * it, which the exact equality of bounded and plain fits relies on.
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

  /** The centres transposed to feature-major order: element (j, c) at {@code j * k + c}. */
  static double[] featureMajor(double[] centroids, int k, int d) {
    double[] t = new double[k * d];
    for (int c = 0; c < k; c++) {
      for (int j = 0; j < d; j++) {
        t[j * k + c] = centroids[c * d + j];
      }
    }
    return t;
  }

  /**
   * Squared distances from two rows (at {@code a} and {@code b} in the matrix; the same row twice
   * is allowed) to all centres, into {@code dist[0..k)} and {@code dist[k..2k)}: four centres
   * at a time over the feature-major copy of the centres, each centre value loaded once for both
   * rows, eight independent accumulators in registers (measured 1.3x a one-row kernel, which
   * itself was 1.5x one dependent chain per centre through memory). Each distance is summed over
   * features in order, exactly as {@link #squared} sums it.
   */
  static void twoRows(double[] x, int a, int b, double[] centroidsT, int k, int d,
      double[] dist) {
    int c = 0;
    for (; c + 4 <= k; c += 4) {
      double a0 = 0;
      double a1 = 0;
      double a2 = 0;
      double a3 = 0;
      double b0 = 0;
      double b1 = 0;
      double b2 = 0;
      double b3 = 0;
      for (int j = 0, t = c; j < d; j++, t += k) {
        double xa = x[a + j];
        double xb = x[b + j];
        double c0 = centroidsT[t];
        double c1 = centroidsT[t + 1];
        double c2 = centroidsT[t + 2];
        double c3 = centroidsT[t + 3];
        double e0 = xa - c0;
        double e1 = xa - c1;
        double e2 = xa - c2;
        double e3 = xa - c3;
        double f0 = xb - c0;
        double f1 = xb - c1;
        double f2 = xb - c2;
        double f3 = xb - c3;
        a0 += e0 * e0;
        a1 += e1 * e1;
        a2 += e2 * e2;
        a3 += e3 * e3;
        b0 += f0 * f0;
        b1 += f1 * f1;
        b2 += f2 * f2;
        b3 += f3 * f3;
      }
      dist[c] = a0;
      dist[c + 1] = a1;
      dist[c + 2] = a2;
      dist[c + 3] = a3;
      dist[k + c] = b0;
      dist[k + c + 1] = b1;
      dist[k + c + 2] = b2;
      dist[k + c + 3] = b3;
    }
    for (; c < k; c++) {
      double sa = 0;
      double sb = 0;
      for (int j = 0, t = c; j < d; j++, t += k) {
        double e = x[a + j] - centroidsT[t];
        double f = x[b + j] - centroidsT[t];
        sa += e * e;
        sb += f * f;
      }
      dist[c] = sa;
      dist[k + c] = sb;
    }
  }
}
