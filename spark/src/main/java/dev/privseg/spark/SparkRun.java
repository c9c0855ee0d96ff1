package dev.privseg.spark;

import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.io.CsvWriter;
import dev.privseg.core.release.Assignments;
import dev.privseg.core.release.Profiles;
import dev.privseg.core.report.ProcessingRecord;
import dev.privseg.core.schema.Schema;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a {@link SparkSegmentation} run gives: the assignments, computed on the executors when
 * used, and the profiles and the processing record, made on the driver. The run keeps the rows
 * it segmented cached until {@link #close}; write the assignments out before closing.
 */
public final class SparkRun implements AutoCloseable {
  /** Rows of microdata written per local batch. */
  private static final int BATCH = 8_192;
  private final Dataset<Row> assignments;
  private final Profiles profiles;
  private final ProcessingRecord report;
  private final Dataset<Row> microdata;
  private final Schema microdataSchema;
  /** Drops what the run cached. */
  private final Runnable cached;

  SparkRun(Dataset<Row> assignments, Profiles profiles, ProcessingRecord report,
      Dataset<Row> microdata, Schema microdataSchema, Runnable cached) {
    this.assignments = assignments;
    this.profiles = profiles;
    this.report = report;
    this.microdata = microdata;
    this.microdataSchema = microdataSchema;
    this.cached = cached;
  }

  /**
   * Each processed row's pseudonym and segment, {@code (pseudonym, segment)}, in input order:
   * pseudonymous personal data (GDPR Recital 26), for the controller, never for release.
   */
  public Dataset<Row> assignments() {
    return assignments;
  }

  /** The released profiles and the segments suppressed: aggregates, shareable. */
  public Profiles profiles() {
    return profiles;
  }

  /**
   * With an anonymize stage, the releasable microdata: the released rows' fields that the
   * anonymization covers (quasi-identifiers generalized, the sensitive fields its models
   * protect), without pseudonyms, in input order, as the local run's microdata.
   */
  public java.util.Optional<Dataset<Row>> anonymizedMicrodata() {
    return java.util.Optional.ofNullable(microdata);
  }

  /**
   * Writes the assignments to {@code file} (UTF-8) as the local run's
   * {@code Assignments.writeCsv} does, streamed through the driver a partition at a time.
   */
  public void writeAssignmentsCsv(Path file) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      Assignments.CsvRows rows = Assignments.csvRows(out, List.of());
      Iterator<Row> it = SparkErrors.action(assignments::toLocalIterator);
      while (it.hasNext()) {
        Row r = it.next();
        rows.write(r.getString(0), r.getInt(1));
      }
      rows.flush();
    }
  }

  /**
   * Writes the anonymized microdata to {@code file} (UTF-8) as the local run's is written
   * ({@code CsvWriter}), streamed through the driver a partition at a time.
   *
   * @throws dev.privseg.core.ConfigurationException if the pipeline has no anonymize stage
   */
  public void writeAnonymizedMicrodataCsv(Path file) throws IOException {
    if (microdata == null) {
      throw new dev.privseg.core.ConfigurationException("this run has no anonymized microdata: "
          + "its pipeline has no anonymize stage");
    }
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      CsvWriter.Batches batches = CsvWriter.batches(out, microdataSchema.names());
      Iterator<Row> it = SparkErrors.action(microdata::toLocalIterator);
      while (it.hasNext()) {
        DatasetBuilder batch = dev.privseg.core.dataset.Dataset.builder(microdataSchema);
        for (int n = 0; n < BATCH && it.hasNext(); n++) {
          Row r = it.next();
          batch.addRow(b -> {
            for (int c = 0; c < r.length(); c++) {
              b.setObject(c, r.get(c));
            }
          });
        }
        batches.write(batch.build());
      }
      batches.flush();
    }
  }

  /** The processing record: counts, fields, methods, guarantees; no personal data. */
  public ProcessingRecord report() {
    return report;
  }

  /** Drops the cached rows; the assignments cannot be computed afterwards. */
  @Override
  public void close() {
    cached.run();
  }

  @Override
  public String toString() {
    return "SparkRun[" + report.counts().processedRows() + " rows processed, "
        + profiles.released().size() + " profiles released]";
  }
}
