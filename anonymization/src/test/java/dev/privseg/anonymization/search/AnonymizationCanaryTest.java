package dev.privseg.anonymization.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.anonymization.Anonymize;
import dev.privseg.anonymization.hierarchy.Hierarchy;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.io.MapReader;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.kmeans.KMeans;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No personal value reaches the record, a scheme, a result's {@code toString()} or an error of
 * the anonymize stage: every quasi-identifier and sensitive value here carries a canary.
 */
class AnonymizationCanaryTest {
  static final Schema SCHEMA = Schema.builder().subjectId("id")
      .field("town", FieldType.CATEGORICAL, PrivacyRole.QUASI_IDENTIFIER)
      .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("diagnosis", FieldType.CATEGORICAL, PrivacyRole.SENSITIVE)
      .build();

  static Dataset data() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      rows.add(Map.of("id", "CANARY-ID-" + i, "town", "CANARY-TOWN-" + (i % 7),
          "age", 20 + i % 50, "diagnosis", "CANARY-DX-" + (i % 4)));
    }
    return MapReader.read(rows, SCHEMA);
  }

  @Test
  void recordSchemeAndDescriptionsHoldNoValue() {
    Dataset data = data();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ids.add("CANARY-ID-" + i);
    }
    GeneralizationAnonymizer anonymizer = Anonymize.generalization(a -> a
        .hierarchy(Hierarchy.flat("town"))
        .hierarchy(Hierarchy.intervals("age", 10, 20))
        .kAnonymity(5).lDiversity("diagnosis", 2).tCloseness("diagnosis", 0.5)
        .suppressionLimit(0.05).populationSize(10_000));
    SegmentationRun run = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(ids))
        .minimize(m -> m.keep("town", "age", "diagnosis"))
        .pseudonymize("id", Pseudonymizer.hmacSha256(KeyProvider.ephemeral()))
        .anonymize(anonymizer)
        .measureAnonymizationImpact()
        .segmentWith(KMeans.clusters(3).seed(1))
        .build().run(data);

    GeneralizationResult result = anonymizer.apply(data.project(List.of("town", "age",
        "diagnosis")));
    for (String text : List.of(run.report().toJson(), run.toString(), result.toString(),
        result.scheme().toJson(), result.summary().toString(), anonymizer.toString(),
        result.anonymized().toString(), result.anonymized().guarantees().toString())) {
      assertThat(text).doesNotContain("CANARY");
    }
    assertThatThrownBy(() -> Anonymize.generalization(a -> a
        .hierarchy(Hierarchy.fromRows("town", List.of(List.of("elsewhere", "*"))))
        .hierarchy(Hierarchy.intervals("age", 10, 20))
        .kAnonymity(5)).apply(data.project(List.of("town", "age", "diagnosis"))))
        .hasMessageNotContaining("CANARY")
        .hasMessageContaining("'town'");
  }

  /**
   * Released microdata holds only what its guarantee covers: a kept field outside the model (here
   * a unique e-mail kept as an OTHER field) is never written out, whatever the method.
   */
  @Test
  void microdataHoldsOnlyTheFieldsTheGuaranteeCovers() {
    Schema schema = Schema.builder().subjectId("id")
        .field("town", FieldType.CATEGORICAL, PrivacyRole.QUASI_IDENTIFIER)
        .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
        .field("diagnosis", FieldType.CATEGORICAL, PrivacyRole.SENSITIVE)
        .field("email", FieldType.CATEGORICAL, PrivacyRole.OTHER)
        .build();
    List<Map<String, Object>> rows = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      rows.add(Map.of("id", "C" + i, "town", "T" + (i % 7), "age", 20 + i % 50,
          "diagnosis", "D" + (i % 4), "email", "CANARY-" + i + "@example.com"));
      ids.add("C" + i);
    }
    Dataset data = MapReader.read(rows, schema);
    record Case(dev.privseg.core.anonymize.Anonymizer anonymizer, List<String> keep,
        List<String> covered) {}
    for (Case c : List.of(
        new Case(Anonymize.generalization(a -> a.hierarchy(Hierarchy.flat("town"))
            .hierarchy(Hierarchy.intervals("age", 10, 20)).kAnonymity(5)
            .lDiversity("diagnosis", 2).suppressionLimit(0.05)),
            List.of("town", "age", "diagnosis", "email"), List.of("town", "age", "diagnosis")),
        new Case(Anonymize.mondrian(5, "age"), List.of("age", "diagnosis", "email"),
            List.of("age")))) {
      SegmentationRun run = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
          .lawfulBasis(LawfulBasisGate.allowList(ids))
          .minimize(m -> m.keep(c.keep().toArray(String[]::new)))
          .pseudonymize("id", Pseudonymizer.hmacSha256(KeyProvider.ephemeral()))
          .anonymize(c.anonymizer())
          .segmentWith(KMeans.clusters(3).seed(1))
          .build().run(data);

      Dataset microdata = run.anonymizedMicrodata().orElseThrow();
      assertThat(microdata.schema().names()).as(c.anonymizer().description())
          .containsExactlyElementsOf(c.covered());
      assertThat(run.report().guarantees()).anyMatch(g -> g.contains("microdata: holds only "
          + "the fields the anonymization covers " + c.covered()));
    }
  }
}
