package dev.privseg.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.SubjectId;
import dev.privseg.core.dataset.CategoricalColumn;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.dataset.LongColumn;
import dev.privseg.core.dataset.NumberColumn;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.io.CsvReader;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.rfm.Rfm;
import dev.privseg.core.segment.rfm.RfmAggregation;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * RFM on the real telco churn data from ../shared/data. The data is a snapshot without dates, so
 * the test expands each customer's billing history the way its columns describe it: {@code
 * tenure} monthly bills of {@code monthly_charges}, the last one in the snapshot month for a
 * customer still with the company and the month before for one who left ({@code churn = Yes}).
 * Scores come from ranks, so only that order of last bills matters, not the exact gap. The
 * expanded history is checked against the real {@code total_charges} before it is segmented.
 */
class RealDataRfmTest {
  static final Schema TELCO = Schema.builder()
      .subjectId("customer_id")
      .field("churn", FieldType.CATEGORICAL, PrivacyRole.SENSITIVE)
      .field("tenure", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("monthly_charges", FieldType.NUMERIC, PrivacyRole.OTHER)
      .field("total_charges", FieldType.NUMERIC, PrivacyRole.OTHER)
      .build();
  static final Schema BILLS = Schema.builder()
      .subjectId("customer_id")
      .field("billed_on", FieldType.DATE, PrivacyRole.OTHER)
      .field("amount", FieldType.NUMERIC, PrivacyRole.OTHER)
      .build();
  static final LocalDate SNAPSHOT_MONTH = LocalDate.of(2018, 9, 1);

  @Test
  void rfmSegmentsTelcoCustomersByTheirBillingHistory() throws IOException {
    Path file = SharedData.file("telco_churn.csv");
    Dataset telco = CsvReader.defaults().read(file, TELCO);
    StringColumn ids = telco.column("customer_id", StringColumn.class);
    CategoricalColumn churn = telco.column("churn", CategoricalColumn.class);
    LongColumn tenure = telco.column("tenure", LongColumn.class);
    NumberColumn monthly = telco.column("monthly_charges", NumberColumn.class);

    DatasetBuilder bills = Dataset.builder(BILLS);
    Map<String, Boolean> left = new HashMap<>();
    for (int r = 0; r < telco.rowCount(); r++) {
      boolean churned = churn.label(churn.code(r)).equals("Yes");
      left.put(ids.get(r), churned);
      LocalDate last = churned ? SNAPSHOT_MONTH.minusMonths(1) : SNAPSHOT_MONTH;
      for (long m = 0; m < tenure.get(r); m++) {
        bills.setText(0, ids.get(r));
        bills.setObject(1, last.minusMonths(m));
        bills.setNumber(2, monthly.asDouble(r));
        bills.endRow();
      }
    }
    Dataset rfm = RfmAggregation.aggregate(bills.build(), "customer_id", "billed_on", "amount",
        SNAPSHOT_MONTH.plusMonths(1).atStartOfDay().toInstant(ZoneOffset.UTC));

    // The 11 customers in their first month (tenure 0) have no bill yet.
    assertThat(rfm.rowCount()).isEqualTo(7043 - 11);
    assertHistoryMatchesTheRealColumns(telco, rfm);

    KeyProvider key = KeyProvider.ephemeral();
    Rfm segmenter = Rfm.scores("recency_days", "frequency", "monetary").withStandardSegments();
    SegmentationRun run = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(List.copyOf(left.keySet())))
        .minimize(m -> m.keep("recency_days", "frequency", "monetary"))
        .pseudonymize("subject_id", Pseudonymizer.hmacSha256(key))
        .segmentWith(segmenter)
        .releaseProfiles(p -> p.minSegmentSize(25))
        .build().run(rfm);

    assertThat(run.assignments().size()).isEqualTo(7032);
    assertThat(run.report().segmentation().algorithm())
        .isEqualTo("RFM quintile scores with named segments");
    List<String> names = segmenter.segmentNames();
    Map<String, String> segmentOf = new HashMap<>();
    for (int i = 0; i < run.assignments().size(); i++) {
      segmentOf.put(run.assignments().pseudonym(i), names.get(run.assignments().segment(i)));
    }
    Pseudonymizer pseudonyms = Pseudonymizer.hmacSha256(key);
    Map<String, int[]> churnedActive = new HashMap<>();
    StringColumn subjects = rfm.column("subject_id", StringColumn.class);
    for (int r = 0; r < rfm.rowCount(); r++) {
      String id = subjects.get(r);
      String segment = segmentOf.get(pseudonyms.pseudonymize(SubjectId.of(id)).value());
      churnedActive.computeIfAbsent(segment, s -> new int[2])[left.get(id) ? 0 : 1]++;
    }
    // Recency separates who left from who stayed: champions and new customers bought in the
    // snapshot month; at risk and hibernating are customers who have left.
    assertThat(churnedActive.get("champions")[0]).isZero();
    assertThat(churnedActive.get("new")[0]).isZero();
    assertThat(churnedActive.get("at risk")[1]).isZero();
    assertThat(churnedActive.get("hibernating")[1]).isZero();
    for (String segment : List.of("champions", "new", "at risk", "hibernating", "loyal")) {
      assertThat(churnedActive.get(segment)[0] + churnedActive.get(segment)[1])
          .as("segment %s is populated", segment).isGreaterThan(100);
    }
    assertThat(run.profiles().released()).isNotEmpty();
  }

  /**
   * Frequency is the tenure, and the billed total tracks the real {@code total_charges} (which
   * also reflects price changes over a customer's life): correlation above 0.99.
   */
  private static void assertHistoryMatchesTheRealColumns(Dataset telco, Dataset rfm) {
    Map<String, Integer> row = new HashMap<>();
    StringColumn ids = telco.column("customer_id", StringColumn.class);
    for (int r = 0; r < telco.rowCount(); r++) {
      row.put(ids.get(r), r);
    }
    LongColumn tenure = telco.column("tenure", LongColumn.class);
    NumberColumn total = telco.column("total_charges", NumberColumn.class);
    StringColumn subjects = rfm.column("subject_id", StringColumn.class);
    LongColumn frequency = rfm.column("frequency", LongColumn.class);
    NumberColumn monetary = rfm.column("monetary", NumberColumn.class);
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double syy = 0;
    double sxy = 0;
    int n = rfm.rowCount();
    for (int i = 0; i < n; i++) {
      int r = row.get(subjects.get(i));
      assertThat(frequency.get(i)).isEqualTo(tenure.get(r));
      double x = monetary.asDouble(i);
      double y = total.asDouble(r);
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
    }
    double correlation = (n * sxy - sx * sy)
        / Math.sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
    assertThat(correlation).isGreaterThan(0.99);
  }
}
