package dev.privseg.core.segment.gmm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentationResult;
import dev.privseg.core.segment.kmeans.ChunkedFit;
import dev.privseg.core.segment.kmeans.ChunkedRows;
import dev.privseg.core.testing.SerializingChunks;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A Gaussian mixture on chunked rows, each step run on a copy of its chunk sent through
 * serialization in a shuffled chunk order, is the mixture on the same rows in one matrix, to the
 * last bit: segments, means, sizes, inertia, log-likelihood, BIC, iterations and convergence,
 * with k given or chosen by BIC.
 */
class ChunkedGaussianMixtureProperties {
  private static final SegmentContext ONE_THREAD = SegmentContext.of(Runnable::run, 1);

  @Property(tries = 20)
  void aChunkedFitIsTheLocalFit(
      @ForAll @IntRange(min = 8, max = 3 * ChunkedRows.CHUNK + 100) int n,
      @ForAll @IntRange(min = 1, max = 4) int d, @ForAll @IntRange(min = 2, max = 5) int k,
      @ForAll @IntRange(min = 1, max = 30) int iterations, @ForAll boolean choose,
      @ForAll long seed) {
    FeatureMatrix m = blobs(n, d, k, seed);
    GaussianMixture gmm = GaussianMixture.components(k).seed(seed).maxIterations(iterations);
    if (choose) {
      gmm = gmm.chooseK(2, k + 1);
    }
    SegmentationResult local = gmm.fit(m, ONE_THREAD);
    SerializingChunks chunks = new SerializingChunks(m.data(), n, d, seed);
    ChunkedFit chunked = gmm.fit(chunks, ONE_THREAD);

    assertThat(chunked.segments()).isEqualTo(local.segments());
    assertThat(chunked.centroids()).isEqualTo(local.centroids());
    assertThat(chunked.inertia()).isEqualTo(local.inertia());
    assertThat(chunked.iterations()).isEqualTo(local.iterations());
    assertThat(chunked.converged()).isEqualTo(local.converged());
    assertThat(chunked.details()).isEqualTo(local.details());
    int[] labels = chunks.labels();
    assertThat(labels).isEqualTo(local.labels());
    long[] sizes = new long[chunked.segments()];
    for (int label : labels) {
      sizes[label]++;
    }
    assertThat(chunked.sizes()).isEqualTo(sizes);
  }

  /** {@code k} Gaussian blobs of {@code d} features, one blob tighter than the others. */
  static FeatureMatrix blobs(int n, int d, int k, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[n * d];
    for (int i = 0; i < n; i++) {
      int blob = r.nextInt(k);
      for (int j = 0; j < d; j++) {
        x[i * d + j] = blob * 6 * (j % 2 == 0 ? 1 : -1) + (blob == 0 ? 0.3 : 1) * r.nextGaussian();
      }
    }
    List<String> names = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      names.add("f" + j);
    }
    return FeatureMatrix.of(x, n, names);
  }
}
