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
    int[] sample = sampleRows(n, sampleSize, seed);
    int d = m.cols();
    double[] rows = new double[sample.length * d];
    int[] sampleLabels = new int[sample.length];
    for (int a = 0; a < sample.length; a++) {
      System.arraycopy(m.data(), sample[a] * d, rows, a * d, d);
      sampleLabels[a] = labels[sample[a]];
    }
    return ofSample(rows, sampleLabels, d, segments);
  }

  /**
   * The rows {@link #sampled} measures, in the order it measures them: {@code min(n, size)}
   * rows of {@code n} drawn without replacement with {@code seed}. Memory is
   * {@code O(size)}, so an engine holding the rows elsewhere can draw the same sample.
   */
  public static int[] sampleRows(int n, int size, long seed) {
    int s = Math.min(n, size);
    // A partial Fisher-Yates shuffle of 0..n-1 that keeps only the displaced positions.
    java.util.Map<Integer, Integer> displaced = new java.util.HashMap<>();
    SplittableRandom random = new SplittableRandom(seed);
    int[] out = new int[s];
    for (int i = 0; i < s; i++) {
      int j = i + random.nextInt(n - i);
      int atJ = displaced.getOrDefault(j, j);
      out[i] = atJ;
      displaced.put(j, displaced.getOrDefault(i, i));
    }
    return out;
  }

  /**
   * The mean silhouette of the sample rows {@code rows} (row-major, {@code d} features each;
   * row {@code a} in segment {@code labels[a]}), distances measured within the sample: what
   * {@link #sampled} computes once it has drawn its rows. Returns 0 for fewer than two segments
   * or rows.
   */
  public static double ofSample(double[] rows, int[] labels, int d, int segments) {
    int s = labels.length;
    if (segments < 2 || s < 2) {
      return 0;
    }
    double sum = 0;
    double[] distSum = new double[segments];
    int[] count = new int[segments];
    for (int a = 0; a < s; a++) {
      java.util.Arrays.fill(distSum, 0);
      java.util.Arrays.fill(count, 0);
      int ia = a * d;
      for (int b = 0; b < s; b++) {
        if (a == b) {
          continue;
        }
        int ib = b * d;
        double dist = 0;
        for (int j = 0; j < d; j++) {
          double diff = rows[ia + j] - rows[ib + j];
          dist += diff * diff;
        }
        int lb = labels[b];
        distSum[lb] += Math.sqrt(dist);
        count[lb]++;
      }
      int own = labels[a];
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

}
