package dev.privseg.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.segment.gmm.GaussianMixture;
import dev.privseg.core.segment.kmeans.KMeans;
import dev.privseg.core.segment.rules.RuleSegments;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The segmentation section of a spec: which segmenter it makes, and the errors it gives. */
class SpecSegmentersTest {
  private static final SpecSegmenters.Budget NO_BUDGET = () -> {
    throw new AssertionError("only dpkmeans asks for the budget");
  };

  private static PipelineSpec.SegmentationSpec spec(String algorithm, Integer k,
      List<PipelineSpec.RuleSpec> rules) {
    return new PipelineSpec.SegmentationSpec(algorithm, k, null, null, null, null, rules, null,
        null, null, null, null, null, null, null, null);
  }

  @Test
  void kMeansIsTheDefaultAndGmmIsChosenByName() throws Exception {
    assertThat(SpecSegmenters.segmenter(spec(null, 4, null), NO_BUDGET))
        .isInstanceOf(KMeans.class);
    assertThat(SpecSegmenters.segmenter(spec("gmm", 3, null), NO_BUDGET))
        .isInstanceOf(GaussianMixture.class);
    assertThat(SpecSegmenters.segmenter(
        spec("rules", null, List.of(new PipelineSpec.RuleSpec("young", "age < 30"))), NO_BUDGET))
        .isInstanceOf(RuleSegments.class);
  }

  @Test
  void anUnknownAlgorithmIsNamedWithTheKnownOnes() {
    assertThatThrownBy(() -> SpecSegmenters.segmenter(spec("dbscan", 4, null), NO_BUDGET))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("segmentation.algorithm must be one of kmeans, kprototypes, gmm, "
            + "rules, rfm, dpkmeans but was 'dbscan'");
  }

  @Test
  void rulesNeedAtLeastOneRuleAndNoK() {
    assertThatThrownBy(() -> SpecSegmenters.segmenter(spec("rules", null, List.of()), NO_BUDGET))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("segmentation.rules needs at least one rule");
    assertThatThrownBy(() -> SpecSegmenters.segmenter(
        spec("rules", 4, List.of(new PipelineSpec.RuleSpec("all", "age >= 0"))), NO_BUDGET))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("segmentation.k does not apply to algorithm 'rules'");
  }

  @Test
  void kMeansRestartsAreReadAndRefusedForOtherAlgorithms() throws Exception {
    assertThat(SpecSegmenters.segmenter(restarts("kmeans", 3), NO_BUDGET).parameters())
        .containsEntry("restarts", 3);
    assertThatThrownBy(() -> SpecSegmenters.segmenter(restarts("gmm", 3), NO_BUDGET))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("segmentation.restarts does not apply to algorithm 'gmm' (only to "
            + "kmeans)");
  }

  private static PipelineSpec.SegmentationSpec restarts(String algorithm, int restarts) {
    return new PipelineSpec.SegmentationSpec(algorithm, 4, null, null, null, null, null, null,
        null, null, null, null, null, null, null, restarts);
  }
}
