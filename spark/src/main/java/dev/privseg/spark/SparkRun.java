package dev.privseg.spark;

import dev.privseg.core.release.Profiles;
import dev.privseg.core.report.ProcessingRecord;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a {@link SparkSegmentation} run gives: the assignments, computed on the executors when
 * used, and the profiles and the processing record, made on the driver. The run keeps the rows
 * it segmented cached until {@link #close}; write the assignments out before closing.
 */
public final class SparkRun implements AutoCloseable {
  private final Dataset<Row> assignments;
  private final Profiles profiles;
  private final ProcessingRecord report;
  private final Dataset<Row> microdata;
  private final SparkFeatures.Encoded cached;

  SparkRun(Dataset<Row> assignments, Profiles profiles, ProcessingRecord report,
      Dataset<Row> microdata, SparkFeatures.Encoded cached) {
    this.assignments = assignments;
    this.profiles = profiles;
    this.report = report;
    this.microdata = microdata;
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

  /** The processing record: counts, fields, methods, guarantees; no personal data. */
  public ProcessingRecord report() {
    return report;
  }

  /** Drops the cached rows; the assignments cannot be computed afterwards. */
  @Override
  public void close() {
    cached.close();
  }

  @Override
  public String toString() {
    return "SparkRun[" + report.counts().processedRows() + " rows processed, "
        + profiles.released().size() + " profiles released]";
  }
}
