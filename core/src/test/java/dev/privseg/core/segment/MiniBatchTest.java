package dev.privseg.core.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.core.segment.kmeans.KMeans;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class MiniBatchTest {

  @Test
  void miniBatchComesCloseToFullLloydOnClusteredData() {
    FeatureMatrix m = KMeansTest.blobs(20_000, 4);
    SegmentContext serial = SegmentContext.of(Runnable::run, 1);

    SegmentationResult full = KMeans.clusters(3).seed(2).fit(m, serial);
    SegmentationResult mini = KMeans.clusters(3).seed(2).maxIterations(60).miniBatch(500)
        .fit(m, serial);

    assertThat(mini.inertia()).isLessThanOrEqualTo(full.inertia() * 1.05);
    assertThat(mini.labels()).hasSize(60_000);
    assertThat(mini.details()).containsEntry("batchSize", 500).containsEntry("rowsSampled",
        30_000L);
  }

  @Test
  void miniBatchIsReproducibleWhateverTheParallelism() {
    FeatureMatrix m = KMeansTest.blobs(30_000, 6);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      SegmentationResult a = KMeans.clusters(4).seed(8).maxIterations(30).miniBatch(256)
          .fit(m, SegmentContext.of(Runnable::run, 1));
      SegmentationResult b = KMeans.clusters(4).seed(8).maxIterations(30).miniBatch(256)
          .fit(m, SegmentContext.of(pool, 4));
      assertThat(b.labels()).isEqualTo(a.labels());
      assertThat(b.inertia()).isEqualTo(a.inertia());
    } finally {
      pool.shutdownNow();
    }
  }
}
