package dev.privseg.examples;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;

import dev.privseg.anonymization.hierarchy.Hierarchy;
import dev.privseg.anonymization.search.GeneralizationAnonymizer;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.minimize.Coarsen;
import dev.privseg.core.pipeline.SegmentationPipeline;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.report.ProcessingRecord;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.kmeans.KMeans;
import dev.privseg.spark.ExecutorKey;
import dev.privseg.spark.SparkRun;
import dev.privseg.spark.SparkSegmentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * The example to copy when adding privseg to a Spark job: a pipeline (an allow-list of consented
 * customers, minimization, HMAC pseudonyms with the key opened by each executor, 10-anonymity by
 * full-domain generalization, k-means, profiles) run on a Spark dataset of generated customers.
 * Submit it as a Spark application, from the CLI jar, which carries privseg:
 *
 * <pre>
 * spark-submit --master local[*] --class dev.privseg.examples.SparkSegmentationExample \
 *     privseg-cli.jar [customers, default 100000]
 * </pre>
 *
 * <p>The key is written to a temporary file every executor of this machine can read: on a
 * cluster, mount the key as a secret at the same path on every node, or hand it over in an
 * environment variable ({@link ExecutorKey#environment}).
 */
public final class SparkSegmentationExample {
  static final Schema SCHEMA = Schema.builder().subjectId("customer_id")
      .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("region", FieldType.CATEGORICAL, PrivacyRole.QUASI_IDENTIFIER)
      .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
      .field("orders", FieldType.INTEGER, PrivacyRole.OTHER)
      .build();

  private SparkSegmentationExample() {}

  /** Runs the example on {@code args[0]} generated customers (default 100,000). */
  public static void main(String[] args) throws Exception {
    long customers = args.length > 0 ? Long.parseLong(args[0]) : 100_000;
    SparkSession spark = SparkSession.builder().appName("privseg example").getOrCreate();
    Path dir = Files.createTempDirectory("privseg-example");
    Path keyFile = dir.resolve("segmentation.key");
    try {
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      Files.writeString(keyFile, Base64.getEncoder().encodeToString(bytes));
      Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
      KeyProvider key = KeyProvider.of(new SecretKeySpec(bytes, "HmacSHA256"), "example/v1");

      // Nine customers in ten consented (a CRM reads its consent table here).
      List<String> consented = new ArrayList<>();
      for (long i = 0; i < customers; i++) {
        if (i % 10 != 0) {
          consented.add("C-" + i);
        }
      }
      SegmentationPipeline pipeline = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
          .lawfulBasis(LawfulBasisGate.allowList(consented))
          .minimize(m -> m.keep("age", "region", "spend", "orders")
              .coarsen("spend", Coarsen.topCode(900)))
          .pseudonymize("customer_id", Pseudonymizer.hmacSha256(key))
          .anonymize(GeneralizationAnonymizer.builder()
              .hierarchy(Hierarchy.intervals("age", 5, 10, 20))
              .hierarchy(Hierarchy.flat("region"))
              .kAnonymity(10).suppressionLimit(0.01).build())
          .segmentWith(KMeans.clusters(4).seed(42))
          .releaseProfiles(p -> p.minSegmentSize(25))
          .schema(SCHEMA)
          .build();

      try (SparkRun run = SparkSegmentation.of(pipeline,
          ExecutorKey.file(keyFile.toString(), "example/v1")).run(customers(spark, customers))) {
        ProcessingRecord r = run.report();
        System.out.printf("%,d customers read, %,d excluded without consent, %,d segmented%n",
            r.counts().inputRows(), r.counts().excludedByGate().values().stream()
                .mapToLong(Long::longValue).sum(), r.counts().processedRows());
        System.out.println("anonymized: levels " + r.anonymization().summary()
            .get("transformation") + ", " + r.anonymization().rowsSuppressed()
            + " rows suppressed");
        run.profiles().released().forEach(p -> System.out.printf("segment %d: %,d customers%n",
            p.segment(), p.size()));
        System.out.println("guarantees: " + r.guarantees().size() + " statements in the record");
      }
    } finally {
      Files.deleteIfExists(keyFile);
      Files.deleteIfExists(dir);
      spark.stop();
    }
  }

  /**
   * {@code rows} generated customers, made by Spark from the row number (column {@code id}, which
   * {@code more} may use for columns of their own): an id, age, region, spend and orders.
   */
  public static Dataset<Row> customers(SparkSession spark, long rows, Column... more) {
    Column id = col("id");
    Column regions = org.apache.spark.sql.functions.array(lit("north"), lit("south"),
        lit("east"), lit("west"), lit("centre"));
    List<Column> columns = new ArrayList<>(List.of(
        concat(lit("C-"), id.cast(DataTypes.StringType)).as("customer_id"),
        pmod(hash(id, lit(1)), lit(60)).plus(18).cast(DataTypes.IntegerType).as("age"),
        element_at(regions, pmod(hash(id, lit(2)), lit(5)).plus(1)).as("region"),
        pmod(hash(id, lit(3)), lit(100_000)).divide(100.0).as("spend"),
        pmod(hash(id, lit(4)), lit(20)).cast(DataTypes.LongType).as("orders")));
    columns.addAll(List.of(more));
    return spark.range(rows).select(columns.toArray(Column[]::new));
  }
}
