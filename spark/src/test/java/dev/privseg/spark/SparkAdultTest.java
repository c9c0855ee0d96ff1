package dev.privseg.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.anonymization.hierarchy.Hierarchy;
import dev.privseg.anonymization.search.GeneralizationAnonymizer;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.io.CsvReader;
import dev.privseg.core.io.CsvWriter;
import dev.privseg.core.pipeline.RunOptions;
import dev.privseg.core.pipeline.SegmentationPipeline;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.kmeans.KMeans;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Adult benchmark (../shared/data/arx-adult: 30,162 rows, eight quasi-identifiers with ARX's
 * hierarchies, occupation sensitive), each row given an id, through a pipeline that anonymizes it
 * (10-anonymity and 2-diversity of occupation, at most 1% suppressed) and segments the
 * generalized rows: on Spark, read by Spark's CSV reader, as locally, read by privseg's. The same
 * node, suppression, labels, microdata, segments, profiles and record.
 */
class SparkAdultTest {
  private static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");
  static final List<String> QIS = List.of("sex", "age", "race", "marital-status", "education",
      "native-country", "workclass", "salary-class");

  @Test
  void adultOnSparkIsAnonymizedAndSegmentedAsLocally(@TempDir Path dir) throws Exception {
    Path data = Path.of(System.getProperty("privseg.shared.data", "../../shared/data"))
        .resolve("arx-adult");
    Assumptions.assumeTrue(Files.isRegularFile(data.resolve("adult.csv")),
        "skipped: " + data + " is absent (the shared datasets are not beside this checkout)");
    Schema.Builder fields = Schema.builder();
    for (String q : QIS) {
      fields.field(q, FieldType.CATEGORICAL, PrivacyRole.QUASI_IDENTIFIER);
    }
    fields.field("occupation", FieldType.CATEGORICAL, PrivacyRole.SENSITIVE);
    Dataset adult = CsvReader.builder().delimiter(';').build()
        .read(data.resolve("adult.csv"), fields.build());
    // The rows with ids "A-0", "A-1", ... in file order: locally, and as a CSV for Spark.
    Schema.Builder withId = Schema.builder().subjectId("id");
    adult.schema().fields().forEach(withId::add);
    Schema schema = withId.build();
    DatasetBuilder b = Dataset.builder(schema);
    for (int r = 0; r < adult.rowCount(); r++) {
      int row = r;
      b.addRow(s -> {
        s.setObject(0, "A-" + row);
        for (int c = 0; c < adult.columns().size(); c++) {
          s.setObject(c + 1, adult.columns().get(c).text(row));
        }
      });
    }
    Dataset local = b.build();
    Path csv = dir.resolve("adult-with-ids.csv");
    CsvWriter.write(local, csv);

    SparkSegmentationTest.Keys keys = SparkSegmentationTest.Keys.in(dir);
    List<String> consented = new ArrayList<>();
    for (int r = 0; r < local.rowCount(); r++) {
      if (r % 10 != 3) {
        consented.add("A-" + r);
      }
    }
    List<String> kept = new ArrayList<>(QIS);
    kept.add("occupation");
    GeneralizationAnonymizer.Builder anonymizer = GeneralizationAnonymizer.builder()
        .kAnonymity(10).lDiversity("occupation", 2).suppressionLimit(0.01);
    for (String q : QIS) {
      anonymizer.hierarchy(Hierarchy.fromCsv(q, data.resolve("adult_hierarchy_" + q + ".csv"),
          ';'));
    }
    SegmentationPipeline pipeline = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(consented))
        .minimize(m -> m.keep(kept.toArray(String[]::new)))
        .pseudonymize("id", dev.privseg.core.pseudonymize.Pseudonymizer.hmacSha256(keys.key()))
        .anonymize(anonymizer.build())
        .segmentWith(KMeans.clusters(6).seed(11))
        .releaseProfiles(p -> p.minSegmentSize(50))
        .schema(schema)
        .build();
    SegmentationRun expected = pipeline.run(local, RunOptions.defaults().at(AT));

    org.apache.spark.sql.Dataset<Row> rows = LocalSpark.session().read()
        .option("header", "true").option("escape", "\"").csv(csv.toString())
        .coalesce(3);
    try (SparkRun spark = SparkSegmentation.of(pipeline, keys.reference()).partitions(3)
        .run(rows, AT)) {
      LocalParity.assertSameRun(spark, expected);
      spark.writeAnonymizedMicrodataCsv(dir.resolve("spark-microdata.csv"));
      CsvWriter.write(expected.anonymizedMicrodata().orElseThrow(),
          dir.resolve("local-microdata.csv"));
      assertThat(dir.resolve("spark-microdata.csv"))
          .hasSameBinaryContentAs(dir.resolve("local-microdata.csv"));
    }
  }
}
