package dev.privseg.core.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.privseg.core.segment.kmeans.KMeans;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * An independent check of the k-means result, recomputed naively from the rows: a fit that
 * converged because no row changed segment is a fixed point of Lloyd's algorithm. Incremental
 * centre sums, inertia accounting and the bounds must all be right for it to hold.
 */
class LloydFixedPointProperties {

  @Property(tries = 60)
  void convergedFitIsAFixedPointOfLloyd(@ForAll @IntRange(min = 20, max = 2000) int n,
      @ForAll @IntRange(min = 1, max = 6) int d, @ForAll @IntRange(min = 2, max = 9) int k,
      @ForAll @IntRange(min = 0, max = 2) int shape, @ForAll boolean accelerated,
      @ForAll long seed) {
    if (n < k) {
      return;
    }
    FeatureMatrix m = HamerlyProperties.data(n, d, shape, seed);
    SegmentationResult r = KMeans.clusters(k).seed(seed).tolerance(0).maxIterations(1000)
        .accelerated(accelerated).fit(m, SegmentContext.of(Runnable::run, 1));
    if (shape == 2 && !r.converged()) {
      return; // fewer distinct rows than k: some cluster is always empty and restarted
    }
    assertThat(r.converged()).as("tolerance 0 runs until no row changes").isTrue();

    double[] x = m.data();
    double[] c = r.centroids();
    int[] labels = r.labels();
    double[] means = new double[k * d];
    long[] sizes = new long[k];
    double inertia = 0;
    for (int row = 0; row < n; row++) {
      double own = distance(x, row, c, labels[row], d);
      int first = 0;
      for (int other = 1; other < k; other++) {
        if (distance(x, row, c, other, d) < distance(x, row, c, first, d)) {
          first = other;
        }
      }
      // Exact, not within a tolerance: the fit sums each distance in this order too, and a row
      // at the same distance from several centres (common on the discrete shape) belongs to
      // the first of them.
      assertThat(labels[row]).as("row %s is at its nearest centre, the first on a tie", row)
          .isEqualTo(first);
      inertia += own;
      sizes[labels[row]]++;
      for (int j = 0; j < d; j++) {
        means[labels[row] * d + j] += x[row * d + j];
      }
    }
    for (int s = 0; s < k; s++) {
      for (int j = 0; j < d && sizes[s] > 0; j++) {
        assertThat(c[s * d + j]).as("centre %s is its members' mean", s)
            .isCloseTo(means[s * d + j] / sizes[s], within(1e-9 * (1 + Math.abs(c[s * d + j]))));
      }
    }
    assertThat(r.inertia()).isCloseTo(inertia, within(1e-9 * (1 + inertia)));
  }

  private static double distance(double[] x, int row, double[] c, int centre, int d) {
    double sum = 0;
    for (int j = 0; j < d; j++) {
      double e = x[row * d + j] - c[centre * d + j];
      sum += e * e;
    }
    return sum;
  }
}
