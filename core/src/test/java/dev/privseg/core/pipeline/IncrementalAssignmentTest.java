package dev.privseg.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.anonymize.AnonymizedData;
import dev.privseg.core.anonymize.Anonymizer;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.segment.SegmentModel;
import dev.privseg.core.segment.rules.RuleSegments;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Incremental assignment through the builder: what the record says, and what is refused. */
class IncrementalAssignmentTest {
  private static final KeyProvider KEYS = KeyProvider.ephemeral();

  @Test
  void theRecordSaysWhichRunsSegmentsTheRowsWereAssignedTo() {
    SegmentModel model = IncrementalAssignmentProperties.savedModel(200, 3, 4);
    Dataset fresh = TestCustomers.generate(50, 99);
    SegmentationRun run = IncrementalAssignmentProperties.assign(model, fresh,
        IncrementalAssignmentProperties.ids(40));

    assertThat(run.report().segmentation().algorithm())
        .isEqualTo("incremental assignment of run " + model.run());
    assertThat(run.report().segmentation().parameters())
        .containsEntry("run", model.run()).containsEntry("segmenter", "k-means")
        .containsEntry("segments", 4);
    assertThat(run.report().segmentation().iterations()).isZero();
    assertThat(run.report().segmentation().details())
        .containsEntry("incrementalAssignmentOf", model.run());
    assertThat(run.report().runId()).isNotEqualTo(model.run());
    assertThat(run.report().counts().processedRows()).isEqualTo(40);
    assertThat(run.model()).contains(model); // assigning again assigns to the same segments
  }

  @Test
  void aRunSavesNoModelWhereNewRowsCouldNotBeAssignedByItsRule() {
    Dataset data = TestCustomers.generate(60, 5);
    SegmentationRun mixture = builderFor(IncrementalAssignmentProperties.ids(60))
        .segmentWith(dev.privseg.core.segment.gmm.GaussianMixture.components(2).seed(1))
        .releaseProfiles(p -> p.minSegmentSize(1))
        .build().run(data);
    assertThat(mixture.model()).isEmpty(); // most probable component, not nearest centroid
  }

  /** A rule run saves its rules, and later rows go where the rules put them. */
  @Test
  void aRuleRunsSegmentsAreItsRules() {
    RuleSegments rules = RuleSegments.first("big", "spend >= 500").then("north", "region = "
        + "'north'").otherwise("others");
    SegmentationRun run = builderFor(IncrementalAssignmentProperties.ids(80))
        .segmentWith(rules).releaseProfiles(p -> p.minSegmentSize(1))
        .build().run(TestCustomers.generate(80, 5));
    SegmentModel model = run.model().orElseThrow();
    assertThat(model.rules()).containsExactly(Map.entry("big", "spend >= 500"),
        Map.entry("north", "region = 'north'"));
    assertThat(model.segmentNames()).containsExactly("big", "north", "others");
    assertThat(SegmentModel.fromJson(model.toJson())).isEqualTo(model);

    Dataset fresh = TestCustomers.generate(50, 77);
    SegmentationRun later = builderFor(IncrementalAssignmentProperties.ids(50))
        .assignTo(model).releaseProfiles(p -> p.minSegmentSize(1)).build().run(fresh);
    SegmentationRun direct = builderFor(IncrementalAssignmentProperties.ids(50))
        .segmentWith(rules).releaseProfiles(p -> p.minSegmentSize(1)).build().run(fresh);
    assertThat(IncrementalAssignmentProperties.segments(later))
        .isEqualTo(IncrementalAssignmentProperties.segments(direct));
    assertThat(later.segmentNames()).containsExactly("big", "north", "others");
    assertThat(later.report().segmentation().algorithm())
        .isEqualTo("incremental assignment of run " + run.report().runId());
    assertThat(later.report().segmentation().parameters())
        .containsEntry("segmenter", "rule-based segments, first match wins")
        .containsEntry("features", List.of("spend", "region"));
  }

  private static dev.privseg.core.pipeline.SegmentationBuilder builderFor(List<String> allowed) {
    return Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(allowed))
        .minimize(m -> m.keep("age", "region", "spend"))
        .pseudonymize("customer_id", Pseudonymizer.hmacSha256(KEYS));
  }

  @Test
  void mistakesAreNamedWhenThePipelineIsBuilt() {
    SegmentModel model = IncrementalAssignmentProperties.savedModel(80, 1, 3);
    assertThatThrownBy(() -> builder(model, "age", "region", "spend").segmentWith(
        dev.privseg.core.segment.kmeans.KMeans.clusters(2)))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("already set");
    assertThatThrownBy(() -> Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .segmentWith(dev.privseg.core.segment.kmeans.KMeans.clusters(2)).assignTo(model))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("set one of the two");
    assertThatThrownBy(() -> Segmentation.forPurpose(dev.privseg.core.Purpose.of("analytics", "Usage analytics", dev.privseg.core.LawfulBasis.CONSENT))
        .lawfulBasis(LawfulBasisGate.allowList(List.of("a")))
        .minimize(m -> m.keep("age", "region", "spend"))
        .pseudonymize("customer_id", Pseudonymizer.hmacSha256(KEYS))
        .assignTo(model).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("for purpose 'marketing-segmentation'")
        .hasMessageContaining(model.run());
    assertThatThrownBy(() -> builder(model, "age", "spend").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("field 'region' is a feature of run " + model.run());
    assertThatThrownBy(() -> builder(model, "age", "region", "spend")
        .anonymize(new FixedScheme()).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("drop anonymize(...)");

    SegmentModel anonymized = new SegmentModel(SegmentModel.FORMAT, model.run(),
        model.purpose(), model.segmenter(), model.segments(), List.of(), model.encoding(),
        model.centroids(), Map.of(), "{\"levels\":{}}");
    assertThatThrownBy(() -> builder(anonymized, "age", "region", "spend").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("configure the same anonymize(...) stage");
    assertThatThrownBy(() -> builder(anonymized, "age", "region", "spend")
        .anonymize(new FixedScheme()).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("cannot apply a saved scheme");
  }

  @Test
  void aModelThatIsNotOneIsNamedNotParsedIntoGarbage() {
    assertThatThrownBy(() -> SegmentModel.fromJson("{\"format\":\"other\"}"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("not a privseg segment model");
    assertThatThrownBy(() -> SegmentModel.fromJson("[1, 2"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("not a privseg segment model");
  }

  private static dev.privseg.core.pipeline.SegmentationBuilder builder(SegmentModel model,
      String... keep) {
    return Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(List.of("a")))
        .minimize(m -> m.keep(keep))
        .pseudonymize("customer_id", Pseudonymizer.hmacSha256(KEYS))
        .assignTo(model);
  }

  /** An anonymizer that cannot apply a saved scheme (the interface's default). */
  private static final class FixedScheme implements Anonymizer {
    @Override
    public AnonymizedData anonymize(Dataset data) {
      throw new AssertionError("not run");
    }

    @Override
    public String description() {
      return "fixed";
    }

    @Override
    public Map<String, Object> parameters() {
      return Map.of();
    }
  }
}
