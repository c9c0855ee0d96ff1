package dev.privseg.core.segment.kmeans;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.core.segment.SegmentContext;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeding draws centres from exactly the k-means++ distribution, although it brings the D²
 * weights up to date only now and then and draws by rejection against stale ones.
 */
class KMeansPlusPlusTest {
  private static final SegmentContext ONE_THREAD = SegmentContext.of(Runnable::run, 1);

  /** Six points in the plane, in three loose pairs, so that stale weights would show. */
  private static final double[] POINTS = {0, 0, 1, 0, 0, 2, 5, 5, 6, 5, 10, 0};
  private static final int N = 6;
  private static final int D = 2;

  @Test
  void drawsEveryOrderedTripleWithItsKMeansPlusPlusProbability() {
    int draws = 60_000;
    long[] observed = new long[N * N * N];
    for (int s = 0; s < draws; s++) {
      double[] centres = KMeansPlusPlus.seed(POINTS, N, D, 3, new SplittableRandom(s), ONE_THREAD);
      observed[(row(centres, 0) * N + row(centres, 1)) * N + row(centres, 2)]++;
    }
    double chiSquare = 0;
    int cells = 0;
    for (int a = 0; a < N; a++) {
      for (int b = 0; b < N; b++) {
        for (int c = 0; c < N; c++) {
          double expected = draws * probability(a, b, c);
          long seen = observed[(a * N + b) * N + c];
          if (expected == 0) {
            assertThat(seen).as("triple %d, %d, %d is impossible", a, b, c).isZero();
          } else {
            chiSquare += (seen - expected) * (seen - expected) / expected;
            cells++;
          }
        }
      }
    }
    // The 0.999 quantile of chi-square with cells - 1 degrees of freedom (Wilson-Hilferty).
    double df = cells - 1;
    double h = 2 / (9 * df);
    double critical = df * Math.pow(1 - h + 3.09 * Math.sqrt(h), 3);
    assertThat(chiSquare).isLessThan(critical);
  }

  /** k-means++ by the book: the first row uniformly, then each row by its D² weight. */
  private static double probability(int a, int b, int c) {
    double p = 1.0 / N;
    p *= weight(b, a, a) / total(a, a);
    return p * weight(c, a, b) / total(a, b);
  }

  private static double weight(int row, int a, int b) {
    return Math.min(Distances.squared(POINTS, row * D, POINTS, a * D, D),
        Distances.squared(POINTS, row * D, POINTS, b * D, D));
  }

  private static double total(int a, int b) {
    double t = 0;
    for (int r = 0; r < N; r++) {
      t += weight(r, a, b);
    }
    return t;
  }

  private static int row(double[] centres, int c) {
    for (int r = 0; r < N; r++) {
      if (POINTS[r * D] == centres[c * D] && POINTS[r * D + 1] == centres[c * D + 1]) {
        return r;
      }
    }
    throw new AssertionError("centre " + c + " is not a row");
  }

  @Test
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void proposalsThatKeepBeingRejectedEndInASweep() {
    // 1,000 rows at 0 and one far away. Once both places hold a centre, every proposal is
    // rejected (its current weight is 0); without a sweep this would never end. The sweep
    // finds every weight zero, and any row will do for the remaining centres.
    int n = 1001;
    double[] x = new double[n];
    x[n - 1] = 1000;
    for (int s = 0; s < 50; s++) {
      double[] centres = KMeansPlusPlus.seed(x, n, 1, 4, new SplittableRandom(s), ONE_THREAD);
      assertThat(centres).containsOnly(0.0, 1000.0).contains(0.0, 1000.0);
    }
  }

  @Test
  void theCentresDoNotDependOnTheNumberOfThreads() {
    SplittableRandom values = new SplittableRandom(7);
    int n = 50_000;
    int d = 3;
    double[] x = new double[n * d];
    for (int i = 0; i < x.length; i++) {
      x[i] = values.nextGaussian() + (i / d % 5) * 4;
    }
    var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      double[] one = KMeansPlusPlus.seed(x, n, d, 8, new SplittableRandom(3), ONE_THREAD);
      double[] three = KMeansPlusPlus.seed(x, n, d, 8, new SplittableRandom(3),
          SegmentContext.of(pool, 3));
      assertThat(three).containsExactly(one);
    } finally {
      pool.shutdown();
    }
  }
}
