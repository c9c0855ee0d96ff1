package dev.privseg.cli;

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
import java.util.Optional;
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
   * @param memberships why the run's memberships were not registered, if the spec has a ledger
   */
  record Result(ProcessingRecord report, Profiles profiles, List<Path> written,
      Optional<String> memberships) {}

  /**
   * Runs {@code pipeline} (made by {@code spec}) on Spark with {@code master} (null: the one
   * {@code spark-submit} set) over the spec's CSV input, or {@code input} instead, and writes the
   * files into {@code out}.
   *
   * @throws ConfigurationException if the spec's key cannot be opened on executors, its input is
   *     not a CSV file, no master is set, or a strict spec's input holds rows that do not fit
   */
  static Result run(Spec spec, SegmentationPipeline pipeline, String master, Path input,
      Path out, boolean microdata) throws IOException {
    String keyVariable = spec.keyEnvironmentVariable().orElseThrow(() ->
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
          report.writeHtml(staging.resolve("report.html"));
          if (microdata) {
            run.writeAnonymizedMicrodataCsv(staging.resolve("microdata.csv"));
          }
        });
        return new Result(report, run.profiles(), written, spec.membershipsNotRegistered(report));
      }
    } finally {
      spark.stop();
    }
  }
}
