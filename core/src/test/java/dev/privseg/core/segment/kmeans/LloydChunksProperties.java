package dev.privseg.core.segment.kmeans;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.api.Test;

/**
 * Fits over several chunks, where each chunk keeps or drops its bounds on its own and the exact
 * inertia reuses the sums of the chunks searched in full: still exactly the plain fit's result,
 * on any number of threads, and the bounds still skip work where they can.
 */
class LloydChunksProperties {
  private static final ExecutorService POOL = Executors.newFixedThreadPool(3);
  private static final SegmentContext ONE_THREAD = SegmentContext.of(Runnable::run, 1);

  @AfterContainer
  static void shutDown() {
    POOL.shutdownNow();
  }

  /**
   * {@code shape} 0: uniform (bounds mostly dropped early, kept late); 1: blobs as many as
   * centres (bounds kept); 2: more blobs than centres, some chunks drawn from a narrower range
   * than others (chunks disagree).
   */
  static FeatureMatrix data(int n, int d, int k, int shape, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[n * d];
    for (int i = 0; i < n; i++) {
      int blob = r.nextInt(shape == 2 ? 3 * k : k);
      double spread = shape == 2 && (i / Lloyd.CHUNK) % 2 == 0 ? 0.2 : 1;
      for (int j = 0; j < d; j++) {
        x[i * d + j] = switch (shape) {
          case 0 -> r.nextDouble();
          case 1 -> blob * 10 * (j % 2 == 0 ? 1 : -1) + r.nextGaussian();
          default -> (blob * 7 + j * blob) % 23 + spread * r.nextGaussian();
        };
      }
    }
    List<String> names = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      names.add("f" + j);
    }
    return FeatureMatrix.of(x, n, names);
  }

  /** Stopped at any iteration, so that the last assignment may leave chunks half searched. */
  @Property(tries = 20)
  void manyChunksGiveExactlyThePlainFitOnAnyNumberOfThreads(
      @ForAll @IntRange(min = Lloyd.CHUNK + 1, max = 4 * Lloyd.CHUNK) int n,
      @ForAll @IntRange(min = 1, max = 6) int d, @ForAll @IntRange(min = 2, max = 8) int k,
      @ForAll @IntRange(min = 0, max = 2) int shape, @ForAll @IntRange(min = 1, max = 60)
      int iterations, @ForAll long seed) {
    FeatureMatrix m = data(n, d, k, shape, seed);
    SegmentationResult plain = new Lloyd(m, k, seed, iterations, 0, false, ONE_THREAD).run();
    SegmentationResult fast =
        new Lloyd(m, k, seed, iterations, 0, true, SegmentContext.of(POOL, 3)).run();

    assertThat(fast.labels()).isEqualTo(plain.labels());
    assertThat(fast.centroids()).isEqualTo(plain.centroids());
    assertThat(fast.inertia()).isEqualTo(plain.inertia());
    assertThat(fast.iterations()).isEqualTo(plain.iterations());
  }

  @Test
  void boundsSkipMostSearchesOnClusteredData() {
    // 16 Gaussian groups for 8 centres, as in the benchmark: no fit converges within 12
    // iterations, and the bounds settle most rows after the first few: fewer than half are
    // searched over the fit (measured: 44 %).
    int n = 5 * Lloyd.CHUNK;
    int d = 6;
    SplittableRandom r = new SplittableRandom(11);
    double[][] groups = new double[16][d];
    for (double[] g : groups) {
      for (int j = 0; j < d; j++) {
        g[j] = r.nextDouble() * 10;
      }
    }
    double[] x = new double[n * d];
    for (int i = 0; i < n; i++) {
      double[] g = groups[r.nextInt(groups.length)];
      for (int j = 0; j < d; j++) {
        x[i * d + j] = g[j] + r.nextGaussian();
      }
    }
    FeatureMatrix m = FeatureMatrix.of(x, n, List.of("a", "b", "c", "d", "e", "f"));
    Lloyd plain = new Lloyd(m, 8, 3, 12, 0, false, ONE_THREAD);
    Lloyd fast = new Lloyd(m, 8, 3, 12, 0, true, ONE_THREAD);
    SegmentationResult p = plain.run();
    SegmentationResult f = fast.run();

    assertThat(f.inertia()).isEqualTo(p.inertia());
    assertThat(p.iterations()).isEqualTo(12);
    assertThat(plain.rowsSearched()).isEqualTo(12L * n);
    assertThat(fast.rowsSearched()).isLessThan(plain.rowsSearched() / 2);
  }
}
