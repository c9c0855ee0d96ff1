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
    return rules.fit(m, SegmentContext.of(Runnable::run, 1)).labels();
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
    assertThatThrownBy(() -> labels(RuleSegments.first("x", "region < 'north'"), data))
        .isInstanceOf(RuleSyntaxException.class)
        .hasMessage("field 'region' is CATEGORICAL: text compares with = or != only (only a "
            + "DATE or TIMESTAMP field orders by text)");
  }

  static final Schema DATED = Schema.builder().subjectId("id")
      .field("last_order", FieldType.DATE, PrivacyRole.OTHER)
      .field("signed_up", FieldType.TIMESTAMP, PrivacyRole.OTHER)
      .build();

  static int[] datedLabels(RuleSegments rules, String[][] values) {
    DatasetBuilder b = Dataset.builder(DATED);
    int i = 0;
    for (String[] v : values) {
      b.setText(0, "S" + i++);
      b.setText(1, v[0]);
      b.setText(2, v[1]);
      b.endRow();
    }
    Dataset data = b.build();
    return rules.fit(FeatureMatrix.of(new double[0], data.rowCount(), List.of())
        .withValues(data), SegmentContext.of(Runnable::run, 1)).labels();
  }

  @Test
  void aRunMayKeepOnlyTheDatesItsRulesCompare() {
    DatasetBuilder b = Dataset.builder(DATED);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      b.setText(0, "S" + i);
      b.setObject(1, java.time.LocalDate.of(2025, 1, 1).plusDays(i * 3));
      b.setObject(2, null);
      b.endRow();
      ids.add("S" + i);
    }

    SegmentationRun run = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(ids))
        .minimize(m -> m.keep("last_order"))
        .pseudonymize("id", Pseudonymizer.hmacSha256(KeyProvider.ephemeral()))
        .segmentWith(RuleSegments.first("since july", "last_order >= '2025-07-01'")
            .otherwise("earlier"))
        .releaseProfiles(p -> p.minSegmentSize(1))
        .build().run(b.build());

    // 2025-01-01 + 3i >= 2025-07-01 (day 181) from i = 61: 39 rows.
    assertThat(run.report().segmentation().segmentSizes()).containsExactly(39, 61);
    assertThat(run.report().fields().used()).containsExactly("last_order");
  }

  @Test
  void datesAndTimestampsCompareWithIsoText() {
    RuleSegments rules = RuleSegments
        .first("recent", "last_order >= '2025-07-01'")
        .then("signed up on new year's day", "signed_up >= '2025-01-01' "
            + "and signed_up < '2025-01-02T00:00:00Z'")
        .then("that one day", "last_order in ('2024-03-15', '2024-03-16')")
        .then("no order", "last_order is missing")
        .otherwise("older");

    int[] labels = datedLabels(rules, new String[][] {
        {"2025-07-01", "2020-01-01T00:00:00Z"},   // recent: the bound is inclusive
        {"2025-06-30", "2025-01-01T23:59:59Z"},   // new year's day
        {"2025-06-30", "2025-01-02T00:00:00Z"},   // not: the upper bound is exclusive
        {"2024-03-16", "2025-01-02T01:00:00+02:00"}, // new year's day: 23:00Z on the 1st
        {"2024-03-16", "2025-01-02T03:00:00+02:00"}, // that one day: 01:00Z on the 2nd
        {null, "2019-05-05T00:00:00Z"},           // no order
    });

    assertThat(labels).containsExactly(0, 1, 4, 1, 2, 3);
    assertThatThrownBy(() -> datedLabels(RuleSegments.first("x", "last_order > '2025-13-01'")
        .otherwise("y"), new String[][] {{"2025-01-01", null}}))
        .isInstanceOf(RuleSyntaxException.class)
        .hasMessage("'2025-13-01' is not an ISO-8601 date (2025-07-01) for field 'last_order'");
  }
}
