package dev.privseg.core.segment.rfm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.dataset.LongColumn;
import dev.privseg.core.dataset.NumericColumn;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentationResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RfmTest {
  static final Instant AS_OF = Instant.parse("2026-11-01T00:00:00Z");
  static final Schema TX = Schema.builder()
      .subjectId("customer")
      .field("at", FieldType.TIMESTAMP, PrivacyRole.OTHER)
      .field("amount", FieldType.NUMERIC, PrivacyRole.OTHER)
      .build();

  static Dataset transactions(int customers, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    DatasetBuilder b = Dataset.builder(TX);
    for (int c = 0; c < customers; c++) {
      int purchases = 1 + r.nextInt(12);
      for (int p = 0; p < purchases; p++) {
        b.setText(0, "C" + c);
        b.setObject(1, AS_OF.minusSeconds(86_400L * r.nextInt(400)));
        b.setNumber(2, 5 + r.nextInt(200));
        b.endRow();
      }
    }
    b.setText(0, "C0");
    b.setObject(1, AS_OF.plusSeconds(86_400)); // after asOf: ignored
    b.setNumber(2, 1_000_000);
    b.endRow();
    return b.build();
  }

  @Test
  void aggregationComputesRecencyFrequencyAndMonetaryPerSubject() {
    DatasetBuilder b = Dataset.builder(TX);
    Object[][] rows = {{"A", 3, 10.0}, {"A", 10, 5.5}, {"B", 40, 100.0}, {"A", -1, 999.0}};
    for (Object[] row : rows) {
      b.setText(0, (String) row[0]);
      b.setObject(1, AS_OF.minusSeconds(86_400L * (int) row[1]));
      b.setNumber(2, (double) row[2]);
      b.endRow();
    }

    Dataset rfm = RfmAggregation.aggregate(b.build(), "customer", "at", "amount", AS_OF);

    assertThat(rfm.rowCount()).isEqualTo(2);
    StringColumn ids = rfm.column("subject_id", StringColumn.class);
    int a = ids.get(0).equals("A") ? 0 : 1;
    assertThat(rfm.column("recency_days", LongColumn.class).get(a)).isEqualTo(3);
    assertThat(rfm.column("frequency", LongColumn.class).get(a)).isEqualTo(2);
    assertThat(rfm.column("monetary", NumericColumn.class).get(a)).isEqualTo(15.5);
    assertThat(rfm.column("recency_days", LongColumn.class).get(1 - a)).isEqualTo(40);
  }

  @Test
  void scoresAreQuintilesWithRecencyReversed() {
    int n = 100;
    double[] x = new double[n * 3];
    for (int i = 0; i < n; i++) {
      x[3 * i] = i;        // recency: 0 is most recent
      x[3 * i + 1] = i;    // frequency
      x[3 * i + 2] = n - i; // monetary
    }
    FeatureMatrix m = FeatureMatrix.of(x, n, List.of("r", "f", "m"));

    assertThat(Rfm.quintiles(m, 0, true)[0]).isEqualTo(5);
    assertThat(Rfm.quintiles(m, 0, true)[99]).isEqualTo(1);
    assertThat(Rfm.quintiles(m, 1, false)[99]).isEqualTo(5);
    int[] f = Rfm.quintiles(m, 1, false);
    int[] perScore = new int[6];
    for (int s : f) {
      perScore[s]++;
    }
    assertThat(perScore).containsExactly(0, 20, 20, 20, 20, 20);
  }

  @Test
  void namedSegmentsFirstMatchWinsAndEveryRowIsAssignedOnce() {
    Rfm rfm = Rfm.scores("r", "f", "m").segment("vip", s -> s.r() == 5 && s.f() == 5)
        .segment("lapsing", s -> s.r() <= 2).otherwise("rest");
    double[] x = {0, 100, 1, 50, 1, 1, 90, 5, 2, 95, 2, 3, 10, 99, 9};
    FeatureMatrix m = FeatureMatrix.of(x, 5, List.of("r", "f", "m"));

    SegmentationResult result = rfm.fit(m, SegmentContext.of(Runnable::run, 1));

    assertThat(result.segments()).isEqualTo(3);
    assertThat(result.details()).containsEntry("segmentNames", List.of("vip", "lapsing", "rest"));
    assertThat(result.labels()).containsExactly(0, 2, 1, 1, 2);
    assertThatThrownBy(() -> rfm.segment("vip", s -> true)).hasMessageContaining("named twice");
  }

  @Test
  void rfmRunsThroughThePipelineOnAggregatedTransactions() {
    Dataset rfm = RfmAggregation.aggregate(transactions(3_000, 4), "customer", "at", "amount",
        AS_OF);
    List<String> everyone = new ArrayList<>();
    StringColumn ids = rfm.column("subject_id", StringColumn.class);
    for (int r = 0; r < rfm.rowCount(); r++) {
      everyone.add(ids.get(r));
    }

    SegmentationRun run = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(everyone))
        .minimize(m -> m.keep("recency_days", "frequency", "monetary"))
        .pseudonymize("subject_id", Pseudonymizer.hmacSha256(KeyProvider.ephemeral()))
        .segmentWith(Rfm.scores("recency_days", "frequency", "monetary").withStandardSegments())
        .releaseProfiles(p -> p.minSegmentSize(20))
        .build().run(rfm);

    assertThat(run.assignments().size()).isEqualTo(3_000);
    assertThat(run.report().segmentation().segments()).isEqualTo(6);
    assertThat(run.report().segmentation().details()).containsEntry("segmentNames",
        List.of("champions", "loyal", "new", "at risk", "hibernating", "needs attention"));
    assertThat(run.report().segmentation().segmentSizes().stream().mapToInt(Integer::intValue)
        .sum()).isEqualTo(3_000);
  }
}
