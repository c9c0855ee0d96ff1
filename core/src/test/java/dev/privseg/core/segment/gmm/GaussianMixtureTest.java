package dev.privseg.core.segment.gmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentationResult;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GaussianMixtureTest {
  static final SegmentContext SERIAL = SegmentContext.of(Runnable::run, 1);

  /** Three 2-D Gaussians: a wide one and two narrow ones. */
  static FeatureMatrix threeGaussians() {
    SplittableRandom r = new SplittableRandom(5);
    int n = 3_000;
    double[] x = new double[n * 2];
    double[][] centre = {{0, 0}, {10, 0}, {5, 9}};
    double[] sd = {2.0, 0.5, 0.7};
    for (int i = 0; i < n; i++) {
      int c = i % 3;
      x[2 * i] = centre[c][0] + sd[c] * r.nextGaussian();
      x[2 * i + 1] = centre[c][1] + sd[c] * r.nextGaussian();
    }
    return FeatureMatrix.of(x, n, List.of("x", "y"));
  }

  @Test
  void recoversComponentsOfDifferentWidths() {
    FeatureMatrix m = threeGaussians();
    SegmentationResult r = GaussianMixture.components(3).seed(1).fit(m, SERIAL);

    int agree = 0;
    for (int i = 3; i < m.rows(); i++) {
      if (r.labels()[i] == r.labels()[i % 3]) {
        agree++;
      }
    }
    assertThat(agree / (double) (m.rows() - 3)).isGreaterThan(0.97);
    assertThat(r.details()).containsKeys("logLikelihood", "bic");
    for (int size : r.sizes()) {
      assertThat((double) size).isCloseTo(1000, within(60.0));
    }
  }

  @Test
  void bicChoosesThreeComponentsAndIsDeterministic() {
    FeatureMatrix m = threeGaussians();
    SegmentationResult a = GaussianMixture.components(2).seed(4).chooseK(2, 6).fit(m, SERIAL);
    SegmentationResult b = GaussianMixture.components(2).seed(4).chooseK(2, 6).fit(m, SERIAL);

    assertThat(a.segments()).isEqualTo(3);
    assertThat(a.details()).containsEntry("criterion", "BIC").containsEntry("chosenK", 3);
    assertThat(a.labels()).isEqualTo(b.labels());
  }
}
