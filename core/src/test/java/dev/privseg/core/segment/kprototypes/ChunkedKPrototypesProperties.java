package dev.privseg.core.segment.kprototypes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.core.dataset.CategoricalColumn;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentationResult;
import dev.privseg.core.segment.kmeans.ChunkedFit;
import dev.privseg.core.segment.kmeans.ChunkedRows;
import dev.privseg.core.testing.SerializingChunks;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * k-prototypes on chunked rows (standardized numbers, then category codes), each step run on a
 * copy of its chunk sent through serialization in a shuffled chunk order, is k-prototypes on the
 * same rows' values, to the last bit: segments, prototypes' means, sizes, cost, iterations and
 * convergence.
 */
class ChunkedKPrototypesProperties {
  private static final SegmentContext ONE_THREAD = SegmentContext.of(Runnable::run, 1);

  @Property(tries = 15)
  void aChunkedFitIsTheLocalFit(
      @ForAll @IntRange(min = 4, max = 3 * ChunkedRows.CHUNK + 100) int n,
      @ForAll @IntRange(min = 2, max = 4) int k, @ForAll @IntRange(min = 1, max = 20)
      int iterations, @ForAll long seed) {
    Dataset data = KPrototypesTest.mixed(n, seed);
    KPrototypes prototypes = KPrototypes.clusters(k).seed(seed).maxIterations(iterations);
    SegmentationResult local = KPrototypesTest.fit(prototypes, data, ONE_THREAD);

    double[] spend = FeatureMatrix.encode(data, List.of("spend")).data();
    CategoricalColumn channel = (CategoricalColumn) data.column("channel");
    CategoricalColumn plan = (CategoricalColumn) data.column("plan");
    double[] x = new double[n * 3];
    for (int r = 0; r < n; r++) {
      x[r * 3] = spend[r];
      x[r * 3 + 1] = channel.code(r);
      x[r * 3 + 2] = plan.code(r);
    }
    SerializingChunks chunks = new SerializingChunks(x, n, 3, seed);
    ChunkedFit chunked = prototypes.fit(chunks, 1,
        new int[] {channel.cardinality(), plan.cardinality()}, ONE_THREAD);

    assertThat(chunked.centroids()).isEqualTo(local.centroids());
    assertThat(chunked.inertia()).isEqualTo(local.inertia());
    assertThat(chunked.iterations()).isEqualTo(local.iterations());
    assertThat(chunked.converged()).isEqualTo(local.converged());
    assertThat(chunked.details()).isEqualTo(local.details());
    assertThat(chunks.labels()).isEqualTo(local.labels());
    long[] sizes = new long[k];
    for (int label : local.labels()) {
      sizes[label]++;
    }
    assertThat(chunked.sizes()).isEqualTo(sizes);
  }

  /**
   * A chunk holding something else than a category's code (out of its field's range, or not a
   * whole number) is refused naming the row and column, never the value.
   */
  @org.junit.jupiter.api.Test
  void aValueThatIsNotACodeIsRefusedNamingItsRowAndColumn() {
    for (double wrong : new double[] {3, 0.5, -2}) {
      double[] x = {0.1, 0, 1, -0.2, 1, 2, 0.3, wrong, 0};
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> KPrototypes.clusters(2).seed(1)
          .fit(new SerializingChunks(x, 3, 3, 1), 1, new int[] {3, 3}, ONE_THREAD))
          .isInstanceOf(dev.privseg.core.ConfigurationException.class)
          .hasMessage("k-prototypes rows hold each categorical field's code, from -1 (missing) "
              + "to the field's cardinality less one; row 2 holds another in column 1");
    }
  }
}
