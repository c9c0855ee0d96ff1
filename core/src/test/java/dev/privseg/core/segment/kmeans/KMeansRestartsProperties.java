package dev.privseg.core.segment.kmeans;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentationResult;
import dev.privseg.core.testing.SerializingChunks;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * k-means with restarts keeps the fit of least inertia among the single fits from the restarts'
 * seeds (the first of equals), says so in its details, and gives the same on chunked rows, the
 * kept fit's segments left in the chunks.
 */
class KMeansRestartsProperties {
  private static final SegmentContext ONE_THREAD = SegmentContext.of(Runnable::run, 1);

  @Property(tries = 15)
  void theBestOfTheRestartsSeedsIsKeptLocallyAndOnChunks(
      @ForAll @IntRange(min = 20, max = 2 * Lloyd.CHUNK + 50) int n,
      @ForAll @IntRange(min = 1, max = 4) int d, @ForAll @IntRange(min = 2, max = 6) int k,
      @ForAll @IntRange(min = 1, max = 5) int restarts, @ForAll @IntRange(min = 0, max = 2)
      int shape, @ForAll long seed) {
    FeatureMatrix m = LloydChunksProperties.data(n, d, k, shape, seed);
    KMeans kmeans = KMeans.clusters(k).seed(seed).maxIterations(20).restarts(restarts);

    SegmentationResult expected = null;
    long keptSeed = 0;
    for (int i = 0; i < restarts; i++) {
      long s = seed + i * 0x9E3779B97F4A7C15L;
      SegmentationResult single = KMeans.clusters(k).seed(s).maxIterations(20).fit(m,
          ONE_THREAD);
      if (expected == null || single.inertia() < expected.inertia()) {
        expected = single;
        keptSeed = s;
      }
    }
    SegmentationResult local = kmeans.fit(m, ONE_THREAD);
    assertThat(local.labels()).isEqualTo(expected.labels());
    assertThat(local.centroids()).isEqualTo(expected.centroids());
    assertThat(local.inertia()).isEqualTo(expected.inertia());
    if (restarts > 1) {
      assertThat(local.details()).containsEntry("restarts", restarts)
          .containsEntry("keptSeed", keptSeed);
      assertThat(kmeans.parameters()).containsEntry("restarts", restarts);
    } else {
      assertThat(local.details()).doesNotContainKey("restarts");
      assertThat(kmeans.parameters()).doesNotContainKey("restarts");
    }

    SerializingChunks chunks = new SerializingChunks(m.data(), n, d, seed);
    ChunkedFit chunked = kmeans.fit(chunks, ONE_THREAD);
    assertThat(chunked.centroids()).isEqualTo(local.centroids());
    assertThat(chunked.inertia()).isEqualTo(local.inertia());
    assertThat(chunked.iterations()).isEqualTo(local.iterations());
    assertThat(chunked.details()).isEqualTo(local.details());
    assertThat(chunks.labels()).isEqualTo(local.labels());
  }
}
