package dev.privseg.core.segment;

import java.util.SplittableRandom;

/**
 * The mean silhouette coefficient (Rousseeuw 1987) over a seeded random sample of rows, in
 * {@code [-1, 1]}; higher means better separated segments. Sampling keeps the cost at
 * {@code O(sample^2 * features)} instead of quadratic in the rows.
 */
public final class Silhouette {
  private Silhouette() {}

  /**
   * The mean silhouette of up to {@code sampleSize} rows drawn without replacement with
   * {@code seed}; distances are measured within the same sample. Returns 0 for fewer than two
   * segments.
   */
  public static double sampled(FeatureMatrix m, int[] labels, int segments, int sampleSize,
      long seed) {
    int n = m.rows();
    if (segments < 2 || n < 2) {
      return 0;
    }
    int[] sample = sample(n, Math.min(n, sampleSize), seed);
    int s = sample.length;
    int d = m.cols();
    double[] x = m.data();
    double sum = 0;
    double[] distSum = new double[segments];
    int[] count = new int[segments];
    for (int a = 0; a < s; a++) {
      java.util.Arrays.fill(distSum, 0);
      java.util.Arrays.fill(count, 0);
      int ia = sample[a] * d;
      for (int b = 0; b < s; b++) {
        if (a == b) {
          continue;
        }
        int ib = sample[b] * d;
        double dist = 0;
        for (int j = 0; j < d; j++) {
          double diff = x[ia + j] - x[ib + j];
          dist += diff * diff;
        }
        int lb = labels[sample[b]];
        distSum[lb] += Math.sqrt(dist);
        count[lb]++;
      }
      int own = labels[sample[a]];
      if (count[own] == 0) {
        continue; // a singleton in the sample has silhouette 0 by definition
      }
      double inside = distSum[own] / count[own];
      double nearest = Double.POSITIVE_INFINITY;
      for (int c = 0; c < segments; c++) {
        if (c != own && count[c] > 0) {
          nearest = Math.min(nearest, distSum[c] / count[c]);
        }
      }
      if (nearest < Double.POSITIVE_INFINITY) {
        double denom = Math.max(inside, nearest);
        sum += denom == 0 ? 0 : (nearest - inside) / denom;
      }
    }
    return sum / s;
  }

  private static int[] sample(int n, int size, long seed) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < size; i++) {
      int j = i + random.nextInt(n - i);
      int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    return java.util.Arrays.copyOf(idx, size);
  }
}
