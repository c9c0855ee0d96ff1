package dev.privseg.core.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.core.segment.kmeans.KMeans;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Hamerly's bounds skip work, never change the result: same labels, centres and inertia. */
class HamerlyProperties {

  static FeatureMatrix data(int n, int d, int shape, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[n * d];
    for (int i = 0; i < n; i++) {
      int blob = r.nextInt(5);
      for (int j = 0; j < d; j++) {
        x[i * d + j] = switch (shape) {
          case 0 -> r.nextDouble(); // uniform: slow convergence
          case 1 -> blob * 3 + r.nextGaussian(); // blobs
          default -> r.nextInt(3); // discrete, many ties and duplicates
        };
      }
    }
    List<String> names = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      names.add("f" + j);
    }
    return FeatureMatrix.of(x, n, names);
  }

  @Property(tries = 60)
  void acceleratedKMeansGivesExactlyLloydsResult(@ForAll @IntRange(min = 20, max = 3000) int n,
      @ForAll @IntRange(min = 1, max = 6) int d, @ForAll @IntRange(min = 2, max = 9) int k,
      @ForAll @IntRange(min = 0, max = 2) int shape, @ForAll long seed) {
    if (n < k) {
      return;
    }
    FeatureMatrix m = data(n, d, shape, seed);
    SegmentContext serial = SegmentContext.of(Runnable::run, 1);

    SegmentationResult plain = KMeans.clusters(k).seed(seed).accelerated(false).fit(m, serial);
    SegmentationResult fast = KMeans.clusters(k).seed(seed).accelerated(true).fit(m, serial);

    assertThat(fast.labels()).isEqualTo(plain.labels());
    assertThat(fast.centroids()).isEqualTo(plain.centroids());
    assertThat(fast.inertia()).isEqualTo(plain.inertia());
    assertThat(fast.iterations()).isEqualTo(plain.iterations());
  }
}
