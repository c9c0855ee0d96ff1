package dev.privseg.core.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.segment.kmeans.KMeans;
import dev.privseg.core.segment.kmeans.KSelection;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KSelectionTest {

  /** Four tight, well separated blobs. */
  static FeatureMatrix fourBlobs() {
    double[][] centres = {{0, 0}, {12, 0}, {0, 12}, {12, 12}};
    SplittableRandom r = new SplittableRandom(3);
    int n = 2_000;
    double[] x = new double[n * 2];
    for (int i = 0; i < n; i++) {
      x[2 * i] = centres[i % 4][0] + r.nextGaussian();
      x[2 * i + 1] = centres[i % 4][1] + r.nextGaussian();
    }
    return FeatureMatrix.of(x, n, List.of("x", "y"));
  }

  @Test
  void bothCriteriaFindTheFourBlobsAndSaySo() {
    for (KSelection.Criterion c : KSelection.Criterion.values()) {
      SegmentationResult r = KMeans.clusters(2).seed(7).chooseK(2, 8, c)
          .fit(fourBlobs(), SegmentContext.of(Runnable::run, 1));

      assertThat(r.segments()).as(c.name()).isEqualTo(4);
      assertThat(r.details()).containsEntry("criterion", c.name()).containsEntry("chosenK", 4);
      @SuppressWarnings("unchecked")
      Map<String, Object> scores = (Map<String, Object>) r.details().values().stream()
          .filter(Map.class::isInstance).findFirst().orElseThrow();
      assertThat(scores).containsOnlyKeys("2", "3", "4", "5", "6", "7", "8");
    }
  }

  @Test
  void everyCandidateIsFittedWithTheConfiguredSettingsTheRecordNames() {
    // The record lists the base configuration's tolerance and mini-batch size as parameters;
    // the candidates must have been fitted with them (they once got only seed and iterations).
    KMeans configured = KMeans.clusters(2).seed(7).tolerance(0).miniBatch(64).maxIterations(20);
    SegmentContext serial = SegmentContext.of(Runnable::run, 1);
    FeatureMatrix m = fourBlobs();

    KSelection selection = configured.chooseK(3, 5, KSelection.Criterion.SILHOUETTE);
    SegmentationResult chosen = selection.fit(m, serial);

    int k = chosen.segments();
    assertThat(chosen.labels())
        .isEqualTo(KMeans.clusters(k).seed(7).tolerance(0).miniBatch(64).maxIterations(20)
            .fit(m, serial).labels());
    assertThat(chosen.inertia()).isEqualTo(KMeans.clusters(k).seed(7).tolerance(0).miniBatch(64)
        .maxIterations(20).fit(m, serial).inertia());
    assertThat(selection.parameters()).containsEntry("miniBatch", 64)
        .containsEntry("tolerance", 0.0);
  }

  @Test
  void rangesAreCheckedEagerly() {
    assertThatThrownBy(() -> KMeans.clusters(2).chooseK(1, 5, KSelection.Criterion.SILHOUETTE))
        .hasMessage("smallest k must be >= 2 but was 1");
    assertThatThrownBy(() -> KMeans.clusters(2).chooseK(3, 4, KSelection.Criterion.ELBOW))
        .hasMessageContaining("the elbow needs at least three candidate k");
  }
}
