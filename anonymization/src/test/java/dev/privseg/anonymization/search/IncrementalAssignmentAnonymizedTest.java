package dev.privseg.anonymization.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.anonymization.Anonymize;
import dev.privseg.anonymization.dp.DpProfiles;
import dev.privseg.anonymization.dp.PrivacyAccountant;
import dev.privseg.anonymization.dp.Rational;
import dev.privseg.anonymization.hierarchy.Hierarchy;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.anonymize.AnonymizationFailedException;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.io.MapReader;
import dev.privseg.core.pipeline.SegmentationBuilder;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.SegmentModel;
import dev.privseg.core.segment.kmeans.KMeans;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Incremental assignment after an anonymize stage: later rows are generalized by the run's saved
 * scheme, not a new search, and its privacy models are checked on them again.
 */
class IncrementalAssignmentAnonymizedTest {
  private static final KeyProvider KEYS = KeyProvider.ephemeral();
  private static final Schema SCHEMA = Schema.builder().subjectId("id")
      .categorical("town", PrivacyRole.QUASI_IDENTIFIER, "T0", "T1", "T2")
      .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
      .build();

  private static Dataset customers(int n, String prefix, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(Map.of("id", prefix + i, "town", "T" + r.nextInt(3), "age", 20 + r.nextInt(50),
          "spend", r.nextInt(2) * 800 + r.nextDouble() * 100));
    }
    return MapReader.read(rows, SCHEMA);
  }

  private static List<String> ids(String prefix, int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(prefix + i);
    }
    return ids;
  }

  private static GeneralizationAnonymizer anonymizer() {
    return Anonymize.generalization(a -> a.hierarchy(Hierarchy.flat("town"))
        .hierarchy(Hierarchy.intervals("age", 10, 20, 40)).kAnonymity(5)
        .suppressionLimit(0.02));
  }

  private static SegmentationBuilder pipeline(List<String> allowed) {
    return Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(allowed))
        .minimize(m -> m.keep("town", "age", "spend"))
        .pseudonymize("id", Pseudonymizer.hmacSha256(KEYS));
  }

  private static SegmentationRun firstRun() {
    return pipeline(ids("C", 400)).anonymize(anonymizer()).segmentWith(KMeans.clusters(3).seed(2))
        .releaseProfiles(p -> p.minSegmentSize(5)).build().run(customers(400, "C", 1));
  }

  @Test
  void laterRowsAreGeneralizedByTheRunsSchemeAndItsModelsCheckedAgain() {
    SegmentationRun first = firstRun();
    SegmentModel model = first.model().orElseThrow();
    TransformationScheme scheme = TransformationScheme.fromJson(model.anonymizationScheme());
    assertThat(scheme.levels()).isEqualTo(
        first.report().anonymization().summary().get("transformation"));

    SegmentationRun later = pipeline(ids("N", 1_000)).anonymize(anonymizer()).assignTo(model)
        .releaseProfiles(p -> p.minSegmentSize(5)).build().run(customers(1_000, "N", 7));

    assertThat(later.report().anonymization().parameters()).containsEntry("scheme",
        scheme.levels());
    assertThat(later.report().anonymization().summary().get("transformation"))
        .isEqualTo(scheme.levels());
    assertThat(((Number) ((Map<?, ?>) later.report().anonymization().summary().get("achieved"))
        .get("k")).intValue()).isGreaterThanOrEqualTo(5);
    assertThat(later.report().segmentation().algorithm())
        .isEqualTo("incremental assignment of run " + first.report().runId());
    assertThat(later.report().guarantees()).anyMatch(g -> g.contains("5"));
    assertThat(later.model()).contains(model);
  }

  @Test
  void laterRowsThatBreakTheModelsUnderTheSchemeFailTheRunNamingTheCriterion() {
    SegmentModel model = firstRun().model().orElseThrow();
    // Three new customers cannot form a class of five under any scheme.
    assertThatThrownBy(() -> pipeline(ids("N", 3)).anonymize(anonymizer()).assignTo(model)
        .build().run(customers(3, "N", 3)))
        .isInstanceOf(AnonymizationFailedException.class)
        .hasMessageContaining("5-anonymity")
        .hasMessageContaining("saved scheme");
  }

  @Test
  void anotherAnonymizerConfigurationIsRefusedWhenThePipelineIsBuilt() {
    SegmentModel model = firstRun().model().orElseThrow();
    assertThatThrownBy(() -> pipeline(ids("N", 3))
        .anonymize(Anonymize.generalization(a -> a.hierarchy(Hierarchy.flat("town"))
            .hierarchy(Hierarchy.intervals("age", 10, 20, 40)).kAnonymity(10)
            .suppressionLimit(0.02)))
        .assignTo(model).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("the scheme's models");
    assertThatThrownBy(() -> pipeline(ids("N", 3)).anonymize(anonymizer())
        .measureAnonymizationImpact().assignTo(model).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("fits none: drop it");
  }

  @Test
  void differentiallyPrivateProfilesMayFollowSavedSegments() {
    SegmentationRun first = pipeline(ids("C", 400)).segmentWith(KMeans.clusters(2).seed(2))
        .releaseProfiles(p -> p.minSegmentSize(5)).build().run(customers(400, "C", 1));
    SegmentModel model = first.model().orElseThrow();
    PrivacyAccountant budget = PrivacyAccountant.withBudget(Rational.parse("2"), Rational.ZERO);
    DpProfiles dp = DpProfiles.spending(budget, Rational.parse("1")).bounds("spend", 0, 1000)
        .bounds("age", 0, 120).build();
    // k-means fitted to these rows is refused (one person can move others between segments);
    // saved segments place each row by itself and the saved centroids.
    assertThatThrownBy(() -> pipeline(ids("N", 300)).segmentWith(KMeans.clusters(2))
        .releaseProfiles(p -> p.mechanism(dp)).build())
        .isInstanceOf(ConfigurationException.class);
    SegmentationRun later = pipeline(ids("N", 300)).assignTo(model)
        .releaseProfiles(p -> p.mechanism(dp)).build().run(customers(300, "N", 5));
    assertThat(later.report().release().privacy()).containsEntry("epsilon", "1");
    assertThat(budget.spentEpsilon()).isEqualTo(Rational.parse("1"));
  }
}
