package dev.privseg.cli;

import dev.privseg.consent.directory.DirectoryPseudonymizer;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.pipeline.SegmentationPipeline;
import dev.privseg.core.release.Profiles;
import dev.privseg.core.report.ProcessingRecord;
import dev.privseg.spark.ExecutorKey;
import dev.privseg.spark.SparkRun;
import dev.privseg.spark.SparkSegmentation;
import dev.privseg.spec.Spec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code privseg run --engine spark}: the spec's pipeline run by {@link SparkSegmentation} on the
 * spec's CSV input, read by Spark, and the run's files written as the local engine writes them.
 * Only {@link RunCommand} calls it, and only when Spark is on the class path (under
 * {@code spark-submit}, or {@code bin/privseg} with {@code SPARK_HOME}); no type of Spark appears
 * in its signatures, so the CLI loads without Spark.
 */
final class SparkEngine {
  private SparkEngine() {}

  /** Whether Spark's SQL classes can be loaded. */
  static boolean available() {
    try {
      Class.forName("org.apache.spark.sql.SparkSession", false,
          SparkEngine.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * What a run on Spark gives the summary.
   *
   * @param report the processing record
   * @param profiles the released profiles
   * @param written the files written, in order
   * @param memberships how many of the run's memberships were registered, or why none were, if
   *     the spec has a ledger
   * @param consent where the lawful bases were decided, for a ledger in PostgreSQL
   */
  record Result(ProcessingRecord report, Profiles profiles, List<Path> written,
      Optional<String> memberships, Optional<String> consent) {}

  /**
   * Runs {@code pipeline} (made by {@code spec}) on Spark with {@code master} (null: the one
   * {@code spark-submit} set) over the spec's CSV input, or {@code input} instead, and writes the
   * files into {@code out}. A consent ledger in PostgreSQL is read by the executors, its
   * tables over JDBC ({@code PGPASSWORD} from {@code environment}), and folded there per
   * subject: no process holds every subject's decision. A ledger in an H2 directory, which
   * only this process can open, is decided here, from its snapshot, and shipped.
   *
   * @throws ConfigurationException if the spec's key cannot be opened on executors, its input is
   *     not a CSV file, no master is set, or a strict spec's input holds rows that do not fit
   */
  static Result run(Spec spec, SegmentationPipeline pipeline, String master, Path input,
      Path out, boolean microdata, Map<String, String> environment) throws IOException {
    // Directory pseudonyms have no key of their own: the executors key the directory's
    // lookups with the ledger's.
    boolean directory = pipeline.plan().pseudonymizer() instanceof DirectoryPseudonymizer;
    String keyVariable = (directory ? spec.ledgerKeyEnvironmentVariable()
        : spec.keyEnvironmentVariable()).orElseThrow(() ->
        new ConfigurationException("--engine spark opens the pseudonymization key on every "
            + "executor: give it in an environment variable every node has "
            + "(pseudonymize.key.env)"));
    Spec.CsvInput csv = spec.csvInput(input);
    if (!java.nio.file.Files.isRegularFile(csv.file())) {
      throw new java.nio.file.NoSuchFileException(csv.file().toString());
    }
    SparkSession.Builder builder = SparkSession.builder()
        .appName("privseg " + pipeline.plan().purpose().id());
    if (master != null) {
      builder.master(master);
    }
    SparkSession spark;
    try {
      spark = builder.getOrCreate();
    } catch (Exception e) { // Spark's Scala code throws SparkException undeclared
      if (master == null && String.valueOf(e.getMessage()).contains("master URL")) {
        throw new ConfigurationException("--engine spark needs a master: --master local[*] (this "
            + "machine's cores) or spark://host:7077, or spark-submit's --master");
      }
      throw e instanceof RuntimeException r ? r
          : new IllegalStateException("Spark did not start: " + e.getMessage(), e);
    }
    try {
      // Every column as text, as privseg's reader takes it (RFC 4180 quotes, white space kept
      // for the schema's rules); the pipeline's read stage parses and rejects as locally.
      Dataset<Row> rows = spark.read().option("header", "true")
          .option("sep", String.valueOf(csv.delimiter()))
          .option("encoding", csv.charset().name())
          .option("quote", "\"").option("escape", "\"")
          .option("ignoreLeadingWhiteSpace", "false").option("ignoreTrailingWhiteSpace", "false")
          .csv(csv.file().toString());
      SparkSegmentation segmentation = SparkSegmentation.of(pipeline,
          ExecutorKey.environment(keyVariable));
      Optional<String> ledgerKey = spec.ledgerKeyEnvironmentVariable();
      if (ledgerKey.isPresent()) {
        segmentation = segmentation.ledgerKey(ExecutorKey.environment(ledgerKey.get()));
      }
      Optional<String> consent = Optional.empty();
      Optional<String> ledgerUrl = spec.ledgerJdbcUrl();
      Properties connection = connection(environment.get("PGPASSWORD"));
      if (ledgerUrl.isPresent()) {
        segmentation = ledgerTables(spark, segmentation, ledgerUrl.get(), connection);
        consent = Optional.of("decided on the executors from the ledger's tables "
            + "(read over JDBC, folded per subject)");
      }
      try (SparkRun run = segmentation.run(rows)) {
        ProcessingRecord report = run.report();
        if (!csv.lenient() && !report.counts().rejectedAtRead().isEmpty()) {
          throw new ConfigurationException("the input holds rows that do not fit the schema "
              + report.counts().rejectedAtRead() + "; this spec reads strictly: fix them, or "
              + "set input.lenient: true to skip and count them");
        }
        if (microdata && run.anonymizedMicrodata().isEmpty()) {
          throw new ConfigurationException("--write-microdata needs an 'anonymize' block in the "
              + "spec: only anonymized rows may be written");
        }
        List<Path> written = OutputWriter.write(out, staging -> {
          run.writeAssignmentsCsv(staging.resolve("assignments.csv"));
          run.profiles().writeCsv(staging.resolve("profiles.csv"), List.of());
          report.writeJson(staging.resolve("report.json"));
          dev.privseg.pages.RecordPage.write(report, staging.resolve("report.html"));
          if (microdata) {
            run.writeAnonymizedMicrodataCsv(staging.resolve("microdata.csv"));
          }
        });
        return new Result(report, run.profiles(), written,
            memberships(spec, run, ledgerUrl, connection), consent);
      }
    } finally {
      spark.stop();
    }
  }

  /**
   * {@code segmentation} deciding from the consent ledger's tables at {@code url}, read by the
   * executors in partitions: the events by sequence number, the subject directory and its
   * tombstones by their lookup keys' high word (uniform: keys are keyed hashes).
   */
  private static SparkSegmentation ledgerTables(SparkSession spark,
      SparkSegmentation segmentation, String url, Properties connection) {
    int partitions = Math.max(2, spark.sparkContext().defaultParallelism());
    long last = spark.read().jdbc(url, "(SELECT COALESCE(MAX(seq), 0) AS last "
        + "FROM privseg_consent_event) AS head", connection).first().getLong(0);
    Dataset<Row> events = last < partitions
        ? spark.read().jdbc(url, "privseg_consent_event", connection)
        : spark.read().jdbc(url, "privseg_consent_event", "seq", 1, last + 1, partitions,
            connection);
    return segmentation.ledgerEvents(events,
        byLookupKey(spark, url, "privseg_subject_directory", partitions, connection),
        byLookupKey(spark, url, "privseg_erased_subject", partitions, connection));
  }

  /** The executors' connection properties for the ledger's database in PostgreSQL. */
  private static Properties connection(String password) {
    Properties connection = new Properties();
    connection.setProperty("driver", "org.postgresql.Driver");
    if (password != null) {
      connection.setProperty("password", password);
    }
    return connection;
  }

  /**
   * Registers the run's memberships as a local run registers them, written by the executors
   * into the ledger's database in PostgreSQL; says why not, if they are not.
   */
  private static Optional<String> memberships(Spec spec, SparkRun run, Optional<String> url,
      Properties connection) {
    Optional<String> not = spec.membershipsNotRegistered(run.report());
    if (not.isPresent() || !spec.ledgerKeyEnvironmentVariable().isPresent()) {
      return not;
    }
    if (url.isEmpty()) {
      return Optional.of("memberships not registered: the ledger's H2 database is open to this "
          + "process alone, not to Spark's executors; keep the ledger in PostgreSQL "
          + "(lawfulBasis.ledger.jdbc) to register a Spark run's memberships");
    }
    int[] registered = new int[1];
    Optional<String> retention = spec.registerMemberships(run.report(), (registry, logic) ->
        registered[0] = run.registerMemberships(registry, logic, url.get(), connection));
    String line = String.format(java.util.Locale.ROOT, "registered %,d segment memberships "
        + "(written by the executors, each once)", registered[0]);
    return Optional.of(retention.map(r -> line + "; " + r).orElse(line));
  }

  private static Dataset<Row> byLookupKey(SparkSession spark, String url, String table,
      int partitions, Properties connection) {
    return spark.read().jdbc(url, table, "lookup_high", Long.MIN_VALUE, Long.MAX_VALUE,
        partitions, connection);
  }
}
