package dev.privseg.benchmarks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.to_date;

import dev.privseg.consent.ConsentGate;
import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.core.LawfulBasis;
import dev.privseg.core.Purpose;
import dev.privseg.core.Segmentation;
import dev.privseg.core.SubjectId;
import dev.privseg.core.minimize.Coarsen;
import dev.privseg.core.pipeline.SegmentationPipeline;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.kmeans.KMeans;
import dev.privseg.examples.SparkSegmentationExample;
import dev.privseg.spark.ExecutorKey;
import dev.privseg.spark.SparkRun;
import dev.privseg.spark.SparkSegmentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Timed harness for the whole pipeline on Spark in local mode (the scaling table): for
 * each row count, generated customers (made by Spark from the row number, so no input file),
 * a consent ledger in which one subject in a hundred objected, and a run of
 * {@link SparkSegmentation} (legitimate-interests purpose, minimization with bands, top-coding
 * and a retention limit, HMAC pseudonyms, k-means k = 8 for at most 20 iterations, exact
 * profiles), the assignments written to nothing but counted. Prints the time, the record's stage
 * times and the heap's peak (in local mode the executors share the driver's heap). Run with
 * Spark's flags: {@code java <spark.jvm.flags> -Xmx12g -cp "benchmarks/target/benchmarks.jar:$(cat
 * benchmarks/target/spark-classpath.txt)" dev.privseg.benchmarks.SparkPipelineScale 1000000
 * 10000000}; with {@code --mondrian}, the rows are anonymized by Mondrian on age and spend
 * (k = 10) before segmentation.
 */
public final class SparkPipelineScale {
  private static final Purpose CHURN = Purpose.of("churn-analysis",
      "Grouping customers by usage to plan retention offers", LawfulBasis.LEGITIMATE_INTERESTS);
  private static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");
  static final Schema SCHEMA = Schema.builder().subjectId("customer_id")
      .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("region", FieldType.CATEGORICAL, PrivacyRole.QUASI_IDENTIFIER)
      .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
      .field("orders", FieldType.INTEGER, PrivacyRole.OTHER)
      .field("last_order", FieldType.DATE, PrivacyRole.OTHER)
      .build();

  private SparkPipelineScale() {}

  /** Runs each row count given (default 1,000,000) and prints one line per run. */
  public static void main(String[] args) throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    SparkSession spark = LoopbackSpark.start("privseg-spark-pipeline-scale", cores, 4 * cores);
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    Path keyFile = Files.createTempFile("privseg-scale", ".key");
    Files.writeString(keyFile, Base64.getEncoder().encodeToString(bytes));
    KeyProvider key = KeyProvider.of(new SecretKeySpec(bytes, "HmacSHA256"), "scale/v1");
    try {
      boolean mondrian = java.util.Arrays.asList(args).contains("--mondrian");
      List<String> counts = java.util.Arrays.stream(args).filter(a -> !a.startsWith("--"))
          .toList();
      for (String arg : counts.isEmpty() ? List.of("1000000") : counts) {
        run(spark, Long.parseLong(arg), key, keyFile, cores, mondrian);
      }
    } finally {
      spark.stop();
      Files.deleteIfExists(keyFile);
    }
  }

  private static void run(SparkSession spark, long rows, KeyProvider key, Path keyFile,
      int cores, boolean mondrian) {
    SubjectKeyer keyer = SubjectKeyer.from(key);
    ConsentLedger ledger = ConsentLedger.inMemory(keyer);
    List<EventDraft> objections = new ArrayList<>();
    for (long i = 0; i < rows; i += 100) {
      objections.add(new EventDraft(keyer.key(SubjectId.of("C-" + i)), CHURN.id(),
          EventType.OBJECTION, AT.minusSeconds(86_400), EventSource.API, "", "web", ""));
      if (objections.size() == 10_000) {
        ledger.appendAll(objections);
        objections.clear();
      }
    }
    if (!objections.isEmpty()) {
      ledger.appendAll(objections);
    }
    // With --mondrian: region dropped, age and spend recoded by Mondrian (k = 10) instead of
    // banded and top-coded.
    SegmentationPipeline pipeline = (mondrian
        ? Segmentation.forPurpose(CHURN)
            .lawfulBasis(ConsentGate.of(ledger, List.of(ConsentPolicy.forPurpose(CHURN)
                .build())))
            .minimize(m -> m.keep("age", "spend", "orders", "last_order")
                .coarsen("last_order", Coarsen.toYear())
                .retainFor("last_order", Period.ofYears(3)))
            .pseudonymize("customer_id", Pseudonymizer.hmacSha256(key))
            .anonymize(dev.privseg.anonymization.mondrian.Mondrian.on("age", "spend").k(10))
        : Segmentation.forPurpose(CHURN)
            .lawfulBasis(ConsentGate.of(ledger, List.of(ConsentPolicy.forPurpose(CHURN)
                .build())))
            .minimize(m -> m.keep("age", "region", "spend", "orders", "last_order")
                .coarsen("age", Coarsen.bands(10))
                .coarsen("spend", Coarsen.topCode(800))
                .coarsen("last_order", Coarsen.toYear())
                .retainFor("last_order", Period.ofYears(3)))
            .pseudonymize("customer_id", Pseudonymizer.hmacSha256(key)))
        .segmentWith(KMeans.clusters(8).seed(1).maxIterations(20))
        .releaseProfiles(p -> p.minSegmentSize(25))
        .schema(SCHEMA)
        .build();

    Heap.resetPeaks();
    long start = System.nanoTime();
    try (SparkRun run = SparkSegmentation.of(pipeline,
        ExecutorKey.file(keyFile.toString(), "scale/v1")).partitions(4 * cores)
        .run(customers(spark, rows), AT)) {
      long assigned = run.assignments().count();
      double seconds = (System.nanoTime() - start) / 1e9;
      long memory = 0;
      long disk = 0;
      for (org.apache.spark.storage.RDDInfo info : spark.sparkContext().getRDDStorageInfo()) {
        memory += info.memSize();
        disk += info.diskSize();
      }
      System.out.printf("%,d rows: %.1f s, %,d assigned, %d iterations, peak heap %,d MB, "
          + "cached %,d MB in memory and %,d MB on disk, stages (ms) %s%n", rows, seconds,
          assigned, run.report().segmentation().iterations(), Heap.peak() >> 20, memory >> 20,
          disk >> 20, run.report().stageMillis());
    }
  }

  /** Generated customers, made by Spark from the row number, with the day of the last order. */
  static Dataset<Row> customers(SparkSession spark, long rows) {
    return SparkSegmentationExample.customers(spark, rows,
        date_sub(to_date(lit("2026-06-01")), pmod(hash(col("id"), lit(5)), lit(1_500)))
            .as("last_order"));
  }
}
