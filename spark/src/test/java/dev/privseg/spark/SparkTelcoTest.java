package dev.privseg.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.anonymization.hierarchy.Hierarchy;
import dev.privseg.anonymization.search.GeneralizationAnonymizer;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.io.CsvReader;
import dev.privseg.core.minimize.Coarsen;
import dev.privseg.core.pipeline.RunOptions;
import dev.privseg.core.pipeline.SegmentationPipeline;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.kmeans.KMeans;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The telco churn sample (../shared/data), read by Spark's CSV reader and by privseg's, run
 * through the same pipeline on Spark and locally: the same pseudonym in the same segment, the
 * same profiles, microdata and record. The pipeline is the example spec's
 * (examples/specs/telco-churn.yaml): its allow-list of consented subjects decided on the
 * executors, tenure generalized to 25-anonymity with the classes counted there, and the
 * generalization's impact on the segments measured.
 */
class SparkTelcoTest {
  private static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");
  static final Schema SCHEMA = Schema.builder().subjectId("customer_id")
      .categorical("churn", PrivacyRole.SENSITIVE, "No", "Yes")
      .field("female", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("senior_citizen", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .requiredField("tenure", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .categorical("internet_service", PrivacyRole.OTHER, "DSL", "Fiber optic", "No")
      .categorical("contract", PrivacyRole.OTHER, "Month-to-month", "One year", "Two year")
      .field("payment_method", FieldType.CATEGORICAL, PrivacyRole.OTHER)
      .requiredField("monthly_charges", FieldType.NUMERIC, PrivacyRole.OTHER)
      .field("total_charges", FieldType.NUMERIC, PrivacyRole.OTHER)
      .build();

  @Test
  void theTelcoSampleOnSparkGivesTheLocalRunsOutputs(@TempDir Path dir) throws Exception {
    Path data = Path.of(System.getProperty("privseg.shared.data", "../../shared/data"))
        .resolve("telco_churn.csv");
    Assumptions.assumeTrue(Files.isRegularFile(data),
        "skipped: " + data + " is absent (the shared datasets are not beside this checkout)");
    List<String> consented = Files.readAllLines(Path.of(
        "../examples/specs/telco-consented-subjects.txt"));

    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    Path keyFile = dir.resolve("telco.key");
    Files.writeString(keyFile, Base64.getEncoder().encodeToString(bytes));
    KeyProvider key = KeyProvider.of(new SecretKeySpec(bytes, "HmacSHA256"), "telco/v1");
    SegmentationPipeline pipeline = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(consented.stream().map(String::strip)
            .filter(id -> !id.isEmpty()).toList()))
        .minimize(m -> m.keep("tenure", "contract", "internet_service", "monthly_charges",
            "total_charges").drop("female", "senior_citizen", "churn")
            .coarsen("total_charges", Coarsen.topCode(8000)))
        .pseudonymize("customer_id", Pseudonymizer.hmacSha256(key))
        .anonymize(GeneralizationAnonymizer.builder()
            .hierarchy(Hierarchy.intervals("tenure", 3, 6, 12, 24))
            .kAnonymity(25).suppressionLimit(0.01).populationSize(100_000).build())
        .measureAnonymizationImpact()
        .segmentWith(KMeans.clusters(5).seed(42))
        .releaseProfiles(p -> p.minSegmentSize(25))
        .schema(SCHEMA)
        .build();

    SegmentationRun local = pipeline.run(CsvReader.defaults().read(data, SCHEMA),
        RunOptions.defaults().at(AT));

    // Spark's CSV reader, every column as text, which the read stage parses as privseg's reader
    // does: a number with white space around it is that number, one that is only white space
    // missing.
    Dataset<Row> csv = LocalSpark.session().read().option("header", "true")
        .option("ignoreLeadingWhiteSpace", "false").option("ignoreTrailingWhiteSpace", "false")
        .csv(data.toString());
    try (SparkRun spark = SparkSegmentation.of(pipeline,
        ExecutorKey.file(keyFile.toString(), "telco/v1")).partitions(2).run(csv, AT)) {
      LocalParity.assertSameRun(spark, local);
      assertThat(spark.report().anonymization().summary().get("transformation"))
          .isEqualTo(local.report().anonymization().summary().get("transformation"));
      spark.writeAnonymizedMicrodataCsv(dir.resolve("spark-microdata.csv"));
      dev.privseg.core.io.CsvWriter.write(local.anonymizedMicrodata().orElseThrow(),
          dir.resolve("local-microdata.csv"));
      assertThat(dir.resolve("spark-microdata.csv"))
          .hasSameBinaryContentAs(dir.resolve("local-microdata.csv"));
    }
  }
}
