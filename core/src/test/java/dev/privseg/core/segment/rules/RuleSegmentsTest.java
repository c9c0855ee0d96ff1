package dev.privseg.core.segment.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.minimize.Coarsen;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleSegmentsTest {
  static final Schema SCHEMA = Schema.builder().subjectId("id")
      .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .categorical("region", PrivacyRole.QUASI_IDENTIFIER, "north", "south", "capital")
      .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
      .build();

  static Dataset rows(Object[][] values) {
    DatasetBuilder b = Dataset.builder(SCHEMA);
    int i = 0;
    for (Object[] v : values) {
      b.setText(0, "S" + i++);
      b.setObject(1, v[0]);
      b.setObject(2, v[1]);
      b.setObject(3, v[2]);
      b.endRow();
    }
    return b.build();
  }

  static int[] labels(RuleSegments rules, Dataset data) {
    FeatureMatrix m = FeatureMatrix.encode(data, List.of("age", "spend"));
    return rules.fit(data, m, SegmentContext.of(Runnable::run, 1)).labels();
  }

  @Test
  void firstMatchWinsWithAndBeforeOrAndParentheses() {
    Dataset data = rows(new Object[][] {
        {25, "capital", 100.0}, {25, "north", 5000.0}, {60, "south", 50.0}, {null, "north", 0.0},
        {45, null, 2500.0}});
    RuleSegments rules = RuleSegments
        .first("young urban", "age < 30 and region in ('capital', 'south')")
        .then("big spenders", "spend >= 2000 and not (region = 'capital')")
        .then("unknown age", "age is missing or region is missing")
        .then("seniors", "age >= 60")
        .otherwise("everyone else");

    assertThat(labels(rules, data)).containsExactly(0, 1, 3, 2, 1);
    assertThat(rules.fields()).containsExactly("age", "region", "spend");
  }

  @Test
  void syntaxErrorsNameSegmentPositionAndExpectation() {
    assertThatThrownBy(() -> RuleSegments.first("bad", "age >= and spend > 1"))
        .isInstanceOf(RuleSyntaxException.class)
        .hasMessage("segment 'bad': expected a number or 'text' after '>=' at position 8 of "
            + "rule \"age >= and spend > 1\"");
    assertThatThrownBy(() -> RuleSegments.first("bad", "region in ('a', 'b'"))
        .hasMessageContaining("expected ')' to close the list");
    assertThatThrownBy(() -> RuleSegments.first("bad", "(age > 3"))
        .hasMessageContaining("expected ')'");
    assertThatThrownBy(() -> RuleSegments.first("bad", "age > 3 spend"))
        .hasMessageContaining("expected the end of the rule");
    assertThatThrownBy(() -> RuleSegments.first("bad", "region < 'a'"))
        .hasMessageContaining("text compares with = or != only");
  }

  @Test
  void rulesRunInThePipelineOnCoarsenedValues() {
    List<Object[]> values = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      values.add(new Object[] {18 + i % 60, i % 3 == 0 ? "capital" : "north", (double) i * 10});
      ids.add("S" + i);
    }
    Dataset data = rows(values.toArray(new Object[0][]));

    SegmentationRun run = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(ids))
        .minimize(m -> m.keep("age", "region", "spend").coarsen("age", Coarsen.bands(18, 30, 50)))
        .pseudonymize("id", Pseudonymizer.hmacSha256(KeyProvider.ephemeral()))
        .segmentWith(RuleSegments.first("young", "age = '[18, 30)'")
            .then("capital", "region = 'capital'").otherwise("rest"))
        .releaseProfiles(p -> p.minSegmentSize(1))
        .build().run(data);

    assertThat(run.report().segmentation().details()).containsEntry("segmentNames",
        List.of("young", "capital", "rest"));
    int[] sizes = run.report().segmentation().segmentSizes().stream()
        .mapToInt(Integer::intValue).toArray();
    assertThat(sizes[0]).isEqualTo(48); // ages 18..29 in 200 rows of 18 + i % 60
    assertThat(sizes[0] + sizes[1] + sizes[2]).isEqualTo(200);
    assertThat(run.report().segmentation().parameters())
        .containsEntry("young", "age = '[18, 30)'");
  }

  @Test
  void unknownFieldsAndTypeMismatchesAreConfigurationErrors() {
    Dataset data = rows(new Object[][] {{30, "north", 1.0}});
    assertThatThrownBy(() -> labels(RuleSegments.first("x", "income > 3"), data))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("'income'");
    assertThatThrownBy(() -> labels(RuleSegments.first("x", "region > 3"), data))
        .isInstanceOf(RuleSyntaxException.class)
        .hasMessageContaining("field 'region' is CATEGORICAL, so it cannot be compared with a "
            + "number");
  }
}
