package dev.privseg.anonymization.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.anonymization.Anonymize;
import dev.privseg.anonymization.hierarchy.Hierarchy;
import dev.privseg.anonymization.risk.EquivalenceClasses;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.io.CsvReader;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.report.ProcessingRecord;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.kmeans.KMeans;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Generalization on the income survey and the credit data of ../shared/data. */
class RealDataAnonymizationTest {
  static final List<String> AGES = List.of("14-17", "18-24", "25-34", "35-44", "45-54", "55-64",
      "65+");
  static final List<String> EDUCATION = List.of("Grade 8 or less", "Grades 9 to 11",
      "Graduated High Scool", "1 to 3 years of college", "College graduate", "Grad Study");
  static final List<String> INCOME = List.of("-10.000)", "[10.000-15.000)", "[15.000-20.000)",
      "[20.000-25.000)", "[25.000-30.000)", "[30.000-40.000)", "[40.000-50.000)",
      "[50.000-75.000)", "[75.000-");

  @Test
  void incomeSurveyMeetsKAnonymityAndOrderedTClosenessOfIncome() throws IOException {
    List<String> qis = List.of("SEX", "AGE", "MARITAL.STATUS", "EDUCATION", "OCCUPATION");
    Schema.Builder s = Schema.builder();
    qis.forEach(q -> s.field(q, FieldType.CATEGORICAL, PrivacyRole.QUASI_IDENTIFIER));
    s.field("INCOME", FieldType.CATEGORICAL, PrivacyRole.SENSITIVE);
    Dataset survey = CsvReader.defaults().read(AdultGeneralizationTest.shared("income_survey.csv"),
        s.build());

    GeneralizationResult r = Anonymize.generalization(a -> a
        .hierarchy(Hierarchy.flat("SEX"))
        .hierarchy(Hierarchy.ordinal("AGE", AGES, 2, 4))
        .hierarchy(Hierarchy.flat("MARITAL.STATUS"))
        .hierarchy(Hierarchy.ordinal("EDUCATION", EDUCATION, 2, 6))
        .hierarchy(Hierarchy.flat("OCCUPATION"))
        .kAnonymity(5).tCloseness("INCOME", 0.25, INCOME).suppressionLimit(0.05))
        .apply(survey);

    // Missing values are a value of their own, as in the dataset README's baseline.
    EquivalenceClasses ec = EquivalenceClasses.of(r.anonymized().data(), qis);
    assertThat(ec.smallest()).isGreaterThanOrEqualTo(5);
    assertThat(r.suppressedRows()).isLessThanOrEqualTo((int) (0.05 * survey.rowCount()));
    // Recompute the ordered distance of each released class to the whole table.
    Map<String, List<Integer>> classes = new HashMap<>();
    Dataset out = r.anonymized().data();
    double[] overall = new double[INCOME.size() + 1];
    Dataset income = survey;
    for (int row = 0; row < income.rowCount(); row++) {
      overall[band(income, row)] += 1.0 / income.rowCount();
    }
    for (int row = 0; row < out.rowCount(); row++) {
      StringBuilder key = new StringBuilder();
      for (String q : qis) {
        key.append(out.column(q).text(row)).append('|');
      }
      classes.computeIfAbsent(key.toString(), x -> new ArrayList<>()).add(band(out, row));
    }
    for (List<Integer> bands : classes.values()) {
      double cumulative = 0;
      double emd = 0;
      for (int v = 0; v < overall.length - 1; v++) {
        final int band = v;
        cumulative += bands.stream().filter(b -> b == band).count() / (double) bands.size()
            - overall[v];
        emd += Math.abs(cumulative);
      }
      assertThat(emd / (overall.length - 1)).isLessThanOrEqualTo(0.25 + 1e-9);
    }
  }

  static int band(Dataset d, int row) {
    return d.column("INCOME").isNull(row) ? INCOME.size()
        : INCOME.indexOf(d.column("INCOME").text(row));
  }

  @Test
  void creditDataRunsThroughThePipelineWithAnAnonymizeStage() throws IOException {
    Schema schema = Schema.builder().subjectId("customer_id")
        .field("Seniority", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
        .field("Home", FieldType.CATEGORICAL, PrivacyRole.QUASI_IDENTIFIER)
        .field("Age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
        .field("Marital", FieldType.CATEGORICAL, PrivacyRole.QUASI_IDENTIFIER)
        .field("Job", FieldType.CATEGORICAL, PrivacyRole.QUASI_IDENTIFIER)
        .field("Status", FieldType.CATEGORICAL, PrivacyRole.SENSITIVE)
        .field("Amount", FieldType.INTEGER, PrivacyRole.OTHER)
        .build();
    Dataset credit = CsvReader.defaults().read(AdultGeneralizationTest.shared("credit_data.csv"),
        schema);
    List<String> ids = new ArrayList<>();
    StringColumn idColumn = credit.column("customer_id", StringColumn.class);
    for (int row = 0; row < credit.rowCount(); row++) {
      ids.add(idColumn.get(row));
    }

    SegmentationRun run = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(ids))
        .minimize(m -> m.keep("Seniority", "Home", "Age", "Marital", "Job", "Status", "Amount"))
        .pseudonymize("customer_id", Pseudonymizer.hmacSha256(KeyProvider.ephemeral()))
        .anonymize(Anonymize.generalization(a -> a
            .hierarchy(Hierarchy.intervals("Seniority", 5, 10, 20))
            .hierarchy(Hierarchy.intervals("Age", 5, 10, 20))
            .hierarchy(Hierarchy.flat("Home"))
            .hierarchy(Hierarchy.flat("Marital"))
            .hierarchy(Hierarchy.flat("Job"))
            .kAnonymity(10).lDiversity("Status", 2).suppressionLimit(0.02)))
        .measureAnonymizationImpact()
        .segmentWith(KMeans.clusters(4).seed(7))
        .build().run(credit);

    ProcessingRecord.AnonymizationEntry entry = run.report().anonymization();
    assertThat(entry).isNotNull();
    assertThat(entry.rowsIn()).isEqualTo(credit.rowCount());
    assertThat(entry.rowsSuppressed()).isBetween(1, (int) (0.02 * credit.rowCount()));
    assertThat(run.assignments().size()).isEqualTo(credit.rowCount() - entry.rowsSuppressed());
    assertThat(run.report().release().assignments()).isEqualTo(run.assignments().size());
    @SuppressWarnings("unchecked")
    Map<String, Object> achieved = (Map<String, Object>) entry.summary().get("achieved");
    assertThat((Integer) achieved.get("k")).isGreaterThanOrEqualTo(10);
    assertThat(run.report().guarantees()).anyMatch(g -> g.startsWith("anonymization: "
        + "10-anonymity holds"));
    assertThat(run.report().stageMillis()).containsKey("ANONYMIZE");
    Map<String, Object> impact = entry.segmentationImpact();
    assertThat((Double) impact.get("adjustedRandIndex")).isBetween(-1.0, 1.0);
    assertThat((Double) impact.get("centroidShift")).isGreaterThanOrEqualTo(0.0);
    assertThat((Double) impact.get("originalInertia")).isPositive();
    String json = run.report().toJson();
    assertThat(json).contains("\"rowsSuppressed\"").contains("\"riskAfter\"")
        .doesNotContain("C000001");
    assertThat(ProcessingRecord.fromJson(json).anonymization().rowsSuppressed())
        .isEqualTo(entry.rowsSuppressed());
  }
}
