package dev.privseg.core.segment.kmeans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentationResult;
import dev.privseg.core.testing.SerializingChunks;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * k-means on chunked rows, each step run on a copy of its chunk sent through serialization in a
 * shuffled chunk order, is k-means on the same rows in one matrix, to the last bit: labels,
 * centroids, sizes, inertia, iterations and convergence.
 */
class ChunkedKMeansProperties {
  private static final SegmentContext ONE_THREAD = SegmentContext.of(Runnable::run, 1);

  @Property(tries = 25)
  void aChunkedFitIsTheLocalFit(
      @ForAll @IntRange(min = 2, max = 3 * Lloyd.CHUNK + 100) int n,
      @ForAll @IntRange(min = 1, max = 5) int d, @ForAll @IntRange(min = 2, max = 7) int k,
      @ForAll @IntRange(min = 0, max = 2) int shape,
      @ForAll @IntRange(min = 1, max = 40) int iterations, @ForAll boolean tolerant,
      @ForAll long seed) {
    k = Math.min(k, n);
    FeatureMatrix m = LloydChunksProperties.data(n, d, k, shape, seed);
    KMeans kmeans = KMeans.clusters(k).seed(seed).maxIterations(iterations)
        .tolerance(tolerant ? 1e-4 : 0);
    SegmentationResult local = kmeans.fit(m, ONE_THREAD);
    SerializingChunks chunks = new SerializingChunks(m.data(), n, d, seed);
    ChunkedFit chunked = kmeans.fit(chunks, ONE_THREAD);

    assertThat(chunked.centroids()).isEqualTo(local.centroids());
    assertThat(chunked.inertia()).isEqualTo(local.inertia());
    assertThat(chunked.iterations()).isEqualTo(local.iterations());
    assertThat(chunked.converged()).isEqualTo(local.converged());
    long[] sizes = new long[k];
    for (int r = 0; r < n; r++) {
      assertThat(chunks.label(r)).as("row %s", r).isEqualTo(local.labels()[r]);
      sizes[local.labels()[r]]++;
    }
    assertThat(chunked.sizes()).isEqualTo(sizes);
  }

  @Test
  void duplicatedRowsThatEmptyAClusterAreRepairedAsLocally() {
    // Every row one of two points, five clusters: seeding draws duplicates, clusters empty and
    // are restarted at the farthest row, across chunks.
    int n = 2 * Lloyd.CHUNK + 7;
    double[] x = new double[n];
    for (int r = 0; r < n; r++) {
      x[r] = r % 3 == 0 ? 1 : 0;
    }
    FeatureMatrix m = FeatureMatrix.of(x, n, java.util.List.of("f"));
    KMeans kmeans = KMeans.clusters(5).seed(3);
    SegmentationResult local = kmeans.fit(m, ONE_THREAD);
    ChunkedFit chunked = kmeans.fit(new SerializingChunks(x, n, 1, 5), ONE_THREAD);
    assertThat(chunked.centroids()).isEqualTo(local.centroids());
    assertThat(chunked.iterations()).isEqualTo(local.iterations());
  }

  @Test
  void miniBatchAndTooFewRowsAreRefused() {
    SerializingChunks three = new SerializingChunks(new double[] {1, 2, 3}, 3, 1, 1);
    assertThatThrownBy(() -> KMeans.clusters(4).fit(three, ONE_THREAD))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("k-means needs at least k=4 rows but got 3");
    assertThatThrownBy(() -> KMeans.clusters(2).miniBatch(2).fit(three, ONE_THREAD))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("mini-batch");
  }

  @Test
  void aChunksStateGoesBackOnlyToAChunkOfItsRows() {
    Chunk three = new Chunk(0, 1, new double[] {1, 2, 3});
    three.assign(2, 1);
    Chunk.State state = three.state();
    assertThat(new Chunk(0, 1, new double[] {1, 2, 3}).withState(state).label(2)).isEqualTo(1);
    assertThatThrownBy(() -> new Chunk(0, 1, new double[] {1, 2}).withState(state))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("a chunk of 3 rows, not of this chunk's 2");
  }

  @Test
  void aRowIsCopiedWhereAskedAndOnlyARowOfTheChunk() {
    Chunk two = new Chunk(0, 3, new double[] {1, 2, 3, 4, 5, 6});
    double[] into = {9, 9, 9, 9, 9};
    two.copyRow(1, into, 1);
    assertThat(into).containsExactly(9, 4, 5, 6, 9);
    assertThat(two.rowValues(0)).containsExactly(1, 2, 3);
    assertThatThrownBy(() -> two.copyRow(2, into, 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
