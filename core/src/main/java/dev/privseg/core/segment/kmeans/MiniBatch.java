package dev.privseg.core.segment.kmeans;

import dev.privseg.core.internal.Parallel;
import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentationResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Mini-batch k-means (Sculley 2010): each iteration draws a seeded random batch of rows, assigns
 * it to the nearest centres and moves each centre towards its batch rows with a per-centre
 * learning rate (1 / rows seen). k-means++ seeding uses a seeded sample. A last parallel pass
 * assigns every row and measures inertia. Single use.
 */
final class MiniBatch {
  private MiniBatch() {}

  static SegmentationResult fit(FeatureMatrix m, int k, long seed, int iterations, int batch,
      SegmentContext context) {
    int n = m.rows();
    int d = m.cols();
    double[] x = m.data();
    SplittableRandom random = new SplittableRandom(seed);
    // Seed on a sample of up to 20 batches: k-means++ over all rows would read the whole matrix
    // at least once more, which is what mini-batches avoid.
    int sampleSize = (int) Math.min(n, Math.max((long) k, 20L * batch));
    double[] sample = new double[sampleSize * d];
    for (int i = 0; i < sampleSize; i++) {
      System.arraycopy(x, random.nextInt(n) * d, sample, i * d, d);
    }
    double[] centres = KMeansPlusPlus.seed(sample, sampleSize, d, k, random, context);
    long[] seen = new long[k];
    int[] batchLabels = new int[batch];
    int[] rows = new int[batch];
    for (int it = 0; it < iterations; it++) {
      context.checkCancelled();
      for (int b = 0; b < batch; b++) {
        rows[b] = random.nextInt(n);
        batchLabels[b] = nearest(x, rows[b] * d, centres, k, d);
      }
      for (int b = 0; b < batch; b++) {
        int c = batchLabels[b];
        seen[c]++;
        double rate = 1.0 / seen[c];
        for (int j = 0; j < d; j++) {
          centres[c * d + j] += rate * (x[rows[b] * d + j] - centres[c * d + j]);
        }
      }
      context.progress(it + 1, iterations);
    }
    int[] labels = new int[n];
    int chunks = (n + Lloyd.CHUNK - 1) / Lloyd.CHUNK;
    double[] inertia = new double[chunks];
    final double[] finalCentres = centres;
    Parallel.forEachChunk(context.executor(), context.parallelism(), chunks, chunk -> {
      int to = Math.min(n, (chunk + 1) * Lloyd.CHUNK);
      double sum = 0;
      for (int r = chunk * Lloyd.CHUNK; r < to; r++) {
        int c = nearest(x, r * d, finalCentres, k, d);
        labels[r] = c;
        sum += Distances.squared(x, r * d, finalCentres, c * d, d);
      }
      inertia[chunk] = sum;
    });
    double total = 0;
    for (double v : inertia) {
      total += v;
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("batchSize", batch);
    details.put("rowsSampled", (long) batch * iterations);
    return new SegmentationResult(labels, k, centres, total, iterations, false, details);
  }

  private static int nearest(double[] x, int base, double[] centres, int k, int d) {
    int best = 0;
    double bestDist = Double.POSITIVE_INFINITY;
    for (int c = 0; c < k; c++) {
      double dist = Distances.squared(x, base, centres, c * d, d);
      if (dist < bestDist) {
        bestDist = dist;
        best = c;
      }
    }
    return best;
  }
}
