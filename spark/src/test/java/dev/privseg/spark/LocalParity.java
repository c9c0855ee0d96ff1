package dev.privseg.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.report.ProcessingRecord;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/** What a Spark run must share with the local run of the same pipeline on the same rows. */
final class LocalParity {
  private LocalParity() {}

  /**
   * The same pseudonym in the same segment row by row, the same profiles, and the same record
   * but for its id, start and stage times.
   */
  static void assertSameRun(SparkRun spark, SegmentationRun local) {
    List<Row> assignments = spark.assignments().collectAsList();
    assertThat(assignments).hasSize(local.assignments().size());
    for (int r = 0; r < assignments.size(); r++) {
      assertThat(assignments.get(r).getString(0)).as("row %s", r)
          .isEqualTo(local.assignments().pseudonym(r));
      assertThat(assignments.get(r).getInt(1)).as("row %s", r)
          .isEqualTo(local.assignments().segment(r));
    }
    assertThat(spark.profiles()).isEqualTo(local.profiles());
    assertThat(comparable(spark.report())).isEqualTo(comparable(local.report()));
  }

  /**
   * The rows as the local reader takes the same values (lenient: a row a value does not fit is
   * counted and skipped), for the local run to compare with.
   */
  static dev.privseg.core.dataset.Dataset localRows(List<Row> rows,
      dev.privseg.core.schema.Schema schema) {
    dev.privseg.core.dataset.DatasetBuilder b = dev.privseg.core.dataset.Dataset.builder(schema)
        .lenient(true);
    for (Row row : rows) {
      b.addRow(s -> {
        for (int i = 0; i < row.length(); i++) {
          s.setObject(i, row.get(i));
        }
      });
    }
    return b.build();
  }

  /**
   * The record without what differs between any two runs: its id, start and stage times, and
   * the time the anonymization's search took.
   */
  static ProcessingRecord comparable(ProcessingRecord r) {
    ProcessingRecord.AnonymizationEntry a = r.anonymization();
    if (a != null) {
      Map<String, Object> summary = new java.util.LinkedHashMap<>(a.summary());
      summary.remove("searchMillis");
      a = new ProcessingRecord.AnonymizationEntry(a.method(), a.parameters(), a.rowsIn(),
          a.rowsSuppressed(), summary, a.segmentationImpact());
    }
    return new ProcessingRecord(r.format(), "", "", r.basisEvaluatedAt(), r.purpose(),
        r.lawfulBasisGate(), r.counts(), r.fields(), r.pseudonymization(), a,
        r.segmentation(), r.release(), r.guarantees(), Map.of());
  }
}
