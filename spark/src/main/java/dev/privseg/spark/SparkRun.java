package dev.privseg.spark;

import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.consent.store.jdbc.JdbcMembershipRegistry;
import dev.privseg.consent.store.jdbc.MembershipStaging;
import dev.privseg.core.Checks;
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
import java.util.Properties;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
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
  /** How many rows the assignments hold. */
  private final long assigned;

  SparkRun(Dataset<Row> assignments, long assigned, Profiles profiles, ProcessingRecord report,
      Dataset<Row> microdata, Schema microdataSchema, Runnable cached) {
    this.assignments = assignments;
    this.assigned = assigned;
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

  /**
   * Registers the run's memberships in {@code registry} (so that access requests list them,
   * GDPR Art. 15(1)(h)), written by the executors, each its part of the assignments in a
   * transaction of its own, and then registered by the registry in one transaction: each member
   * exactly once, however often Spark retried or speculated a task, or none if a part could not
   * be written. A subject erased while the run was in progress is left out, as a local run's
   * registration leaves it out. The executors connect to the registry's database with
   * {@code url} and {@code connection} (user, password; {@code driver}, the JDBC driver's class,
   * if the executors' {@code DriverManager} does not find it), sent to them as Spark's own JDBC
   * source sends its properties.
   *
   * @param logic what the run's segments mean, for the subjects who ask
   * @return how many memberships were registered
   * @throws dev.privseg.consent.ConsentException if the executors cannot write to the
   *     registry's database (another database, say), or the run cannot be registered whole; then
   *     nothing is registered
   */
  public int registerMemberships(JdbcMembershipRegistry registry, String logic, String url,
      Properties connection) {
    return registerMemberships(registry, logic, url, connection, stage -> stage);
  }

  /** As the public one, with the executors' function wrapped by {@code tasks} (for tests). */
  int registerMemberships(JdbcMembershipRegistry registry, String logic, String url,
      Properties connection,
      java.util.function.UnaryOperator<ForeachPartitionFunction<Row>> tasks) {
    Checks.notNull(registry, "registry");
    Checks.notBlank(logic, "logic");
    Checks.notBlank(url, "url");
    Checks.notNull(connection, "connection");
    MembershipStaging staging = registry.stage(report, logic);
    try {
      ForeachPartitionFunction<Row> write = tasks.apply(
          new StageMembers(staging, url, (Properties) connection.clone()));
      SparkErrors.action(() -> {
        assignments.foreachPartition(write);
        return null;
      });
      return registry.complete(staging, assigned);
    } catch (RuntimeException e) {
      // Nothing was registered: the staged rows go too, and the first mistake is reported.
      try {
        registry.abandon(staging);
      } catch (RuntimeException alsoFailed) {
        e.addSuppressed(alsoFailed);
      }
      throw e;
    }
  }

  /**
   * Writes a partition of the assignments into the staging, through a connection of its own;
   * the partition's number is the part's, the same on every attempt at it.
   */
  static final class StageMembers implements ForeachPartitionFunction<Row> {
    private static final long serialVersionUID = 1L;
    private final MembershipStaging staging;
    private final String url;
    private final Properties connection;

    StageMembers(MembershipStaging staging, String url, Properties connection) {
      this.staging = staging;
      this.url = url;
      this.connection = connection;
    }

    @Override
    public void call(Iterator<Row> rows) throws java.sql.SQLException {
      int part = org.apache.spark.TaskContext.getPartitionId();
      try (java.sql.Connection c = connect()) {
        staging.write(c, part, new Iterator<>() {
          @Override
          public boolean hasNext() {
            return rows.hasNext();
          }

          @Override
          public MembershipStaging.Member next() {
            Row r = rows.next();
            return new MembershipStaging.Member(r.getString(0), r.getInt(1));
          }
        });
      }
    }

    private java.sql.Connection connect() {
      String driver = connection.getProperty("driver");
      try {
        if (driver == null) {
          return java.sql.DriverManager.getConnection(url, connection);
        }
        // As Spark's JDBC source does: the driver class from the task's class loader, asked
        // directly (DriverManager ignores drivers a child class loader loaded).
        java.sql.Driver d = (java.sql.Driver) Class.forName(driver, true,
            Thread.currentThread().getContextClassLoader()).getDeclaredConstructor()
            .newInstance();
        java.sql.Connection c = d.connect(url, connection);
        if (c == null) {
          throw new dev.privseg.consent.ConsentException("the JDBC driver " + driver
              + " does not accept the registry's URL: give the executors the URL and driver "
              + "of the registry's database");
        }
        return c;
      } catch (java.sql.SQLException e) {
        throw new dev.privseg.consent.ConsentException("the executors cannot connect to the "
            + "registry's database: " + e.getClass().getSimpleName() + " (SQLState "
            + e.getSQLState() + ")", e);
      } catch (ReflectiveOperationException e) {
        throw new dev.privseg.consent.ConsentException("the executors cannot load the JDBC "
            + "driver " + driver + ": put it on their class path", e);
      }
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
