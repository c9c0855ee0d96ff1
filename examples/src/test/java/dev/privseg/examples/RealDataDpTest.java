package dev.privseg.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.anonymization.dp.DpKMeans;
import dev.privseg.anonymization.dp.DpProfiles;
import dev.privseg.anonymization.dp.PrivacyAccountant;
import dev.privseg.anonymization.dp.Rational;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.io.CsvReader;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.release.SegmentProfile;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The DP release and DP k-means on the real telco churn data from ../shared/data. */
class RealDataDpTest {
  static final Schema TELCO = Schema.builder()
      .subjectId("customer_id")
      .field("tenure", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .categorical("contract", PrivacyRole.OTHER, "Month-to-month", "One year", "Two year")
      .field("monthly_charges", FieldType.NUMERIC, PrivacyRole.OTHER)
      .field("total_charges", FieldType.NUMERIC, PrivacyRole.OTHER)
      .build();

  static Dataset telco() throws IOException {
    Path file = SharedData.file("telco_churn.csv");
    return CsvReader.defaults().read(file, TELCO);
  }

  static List<String> everyone(Dataset d) {
    List<String> ids = new ArrayList<>();
    StringColumn c = d.column("customer_id", StringColumn.class);
    for (int r = 0; r < d.rowCount(); r++) {
      ids.add(c.get(r));
    }
    return ids;
  }

  @Test
  void dpProfilesAndDpKMeansOnTelcoChurn() throws IOException {
    Dataset data = telco();
    PrivacyAccountant budget = PrivacyAccountant.withBudget(Rational.parse("2"), Rational.ZERO);

    SegmentationRun run = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(everyone(data)))
        .minimize(m -> m.keep("tenure", "contract", "monthly_charges", "total_charges"))
        .pseudonymize("customer_id", Pseudonymizer.hmacSha256(KeyProvider.ephemeral()))
        .segmentWith(DpKMeans.clusters(4, budget, Rational.parse("1")).seed(3)
            .bounds("tenure", 0, 72).bounds("monthly_charges", 0, 120)
            .bounds("total_charges", 0, 9000))
        .releaseProfiles(p -> p.minSegmentSize(50).mechanism(
            DpProfiles.spending(budget, Rational.parse("1"))
                .bounds("tenure", 0, 72).bounds("monthly_charges", 0, 120)
                .bounds("total_charges", 0, 9000).build()))
        .build().run(data);

    assertThat(run.assignments().size()).isEqualTo(7043);
    assertThat(budget.spentEpsilon()).isEqualTo(Rational.parse("2"));
    assertThat(run.report().segmentation().algorithm()).startsWith("differentially private");
    for (SegmentProfile p : run.profiles().released()) {
      assertThat(p.size()).isGreaterThanOrEqualTo(50);
      SegmentProfile.NumericSummary tenure = p.numeric().get(0);
      assertThat(tenure.mean()).isBetween(0.0, 72.0);
    }
    assertThat(run.report().release().privacy()).containsEntry("spentEpsilon", "2");
  }
}
