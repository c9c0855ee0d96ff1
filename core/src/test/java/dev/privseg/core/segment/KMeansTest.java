package dev.privseg.core.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.segment.kmeans.KMeans;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class KMeansTest {

  static SegmentContext context(Executor executor, int parallelism) {
    return SegmentContext.of(executor, parallelism);
  }

  static SegmentContext serial() {
    return context(Runnable::run, 1);
  }

  /** Three tight blobs far apart, rows shuffled. */
  static FeatureMatrix blobs(int perBlob, long seed) {
    double[][] centres = {{0, 0}, {10, 10}, {-10, 10}};
    SplittableRandom r = new SplittableRandom(seed);
    double[] data = new double[3 * perBlob * 2];
    for (int i = 0; i < 3 * perBlob; i++) {
      double[] c = centres[i % 3];
      data[2 * i] = c[0] + r.nextDouble() - 0.5;
      data[2 * i + 1] = c[1] + r.nextDouble() - 0.5;
    }
    return FeatureMatrix.of(data, 3 * perBlob, List.of("x", "y"));
  }

  @Test
  void recoversWellSeparatedClusters() {
    FeatureMatrix m = blobs(500, 1);
    SegmentationResult r = KMeans.clusters(3).seed(7).fit(m, serial());

    assertThat(r.sizes()).containsExactlyInAnyOrder(500, 500, 500);
    for (int i = 3; i < m.rows(); i++) {
      assertThat(r.labels()[i]).isEqualTo(r.labels()[i % 3]);
    }
    assertThat(r.converged()).isTrue();
    assertThat(r.inertia()).isLessThan(1500 * 0.5);
    assertThat(Silhouette.sampled(m, r.labels(), 3, 300, 1)).isGreaterThan(0.9);
  }

  @Test
  void sameSeedSameResultWhateverTheParallelism() {
    FeatureMatrix m = blobs(30_000, 3); // several chunks
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      SegmentationResult serial = KMeans.clusters(5).seed(11).fit(m, serial());
      SegmentationResult parallel = KMeans.clusters(5).seed(11).fit(m, context(pool, 4));

      assertThat(parallel.labels()).isEqualTo(serial.labels());
      assertThat(parallel.centroids()).isEqualTo(serial.centroids());
      assertThat(parallel.inertia()).isEqualTo(serial.inertia());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void differentSeedsMayStartDifferentlyButAlwaysAssignEveryRow() {
    FeatureMatrix m = blobs(100, 5);
    for (long seed = 0; seed < 5; seed++) {
      SegmentationResult r = KMeans.clusters(4).seed(seed).fit(m, serial());
      assertThat(r.labels()).hasSize(300);
      assertThat(Arrays.stream(r.sizes()).sum()).isEqualTo(300);
    }
  }

  @Test
  void parametersAreValidatedEagerlyAndNamed() {
    assertThatThrownBy(() -> KMeans.clusters(1))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("clusters must be >= 2 but was 1");
    assertThatThrownBy(() -> KMeans.clusters(2).maxIterations(0))
        .hasMessage("maxIterations must be >= 1 but was 0");
    assertThatThrownBy(() -> KMeans.clusters(2).tolerance(-1))
        .hasMessageContaining("tolerance");
    assertThatThrownBy(() -> KMeans.clusters(10).fit(blobs(1, 1), serial()))
        .hasMessage("k-means needs at least k=10 rows but got 3");
    FeatureMatrix noFeatures = FeatureMatrix.of(new double[0], 5, List.of());
    assertThatThrownBy(() -> KMeans.clusters(2).fit(noFeatures, serial()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("k-means needs at least one feature but got none");
    assertThatThrownBy(() -> KMeans.clusters(2).miniBatch(2).fit(noFeatures, serial()))
        .hasMessage("k-means needs at least one feature but got none");
  }

  @Test
  void cancellationIsNoticedBetweenIterations() {
    SegmentContext cancelling = new SegmentContext() {
      @Override
      public Executor executor() {
        return Runnable::run;
      }

      @Override
      public int parallelism() {
        return 1;
      }

      @Override
      public void progress(long done, long total) {}

      @Override
      public void checkCancelled() {
        throw new IllegalStateException("cancelled");
      }
    };
    assertThatThrownBy(() -> KMeans.clusters(2).fit(blobs(10, 1), cancelling))
        .hasMessage("cancelled");
  }
}
