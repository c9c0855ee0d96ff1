package dev.privseg.examples;

import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.consent.rights.MembershipRegistry;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.LongColumn;
import dev.privseg.core.dataset.NumericColumn;
import dev.privseg.core.io.JdbcReader;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.release.Assignments;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.Schema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.util.List;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * privseg wired into a CRM's own database, end to end over JDBC: the consent ledger lives in the
 * CRM database (its tables migrated in by privseg, beside the CRM's), customers are read with a
 * query that selects only the columns the purpose needs, and the run's segments go back into a
 * CRM table by pseudonym, together with the run's processing record, in one transaction. The
 * run's memberships are registered so that an access request can explain them.
 *
 * <p>Run it with {@code java -cp examples/target/privseg-cli.jar
 * dev.privseg.examples.CrmDatabaseExample [customers]}: an in-memory H2 database stands in for
 * the CRM and is filled with synthetic customers and their consents. To wire a real CRM, pass
 * its pooled {@link DataSource} to {@link #segment} (the ledger from
 * {@code ConsentDatabase.open(dataSource, "CRM")}) and a key from
 * {@code KeyProvider.fromEnvironment}.
 */
public final class CrmDatabaseExample {
  private CrmDatabaseExample() {}

  /** The columns marketing segmentation reads: no e-mail, postcode, income or signup date. */
  static final List<String> READ = List.of("customer_id", "age", "region", "tenure_months",
      "orders_12m", "spend_12m", "days_since_last_order", "preferred_channel");

  /** What one run wrote back. */
  public record Outcome(String runId, int customersRead, int segmented) {}

  /** Runs the example on {@code args[0]} (default 20,000) synthetic customers. */
  public static void main(String[] args) throws SQLException {
    // Flyway reports each migration check at INFO, which would bury the example's one line; a
    // host's own logging configuration decides this for itself.
    if (System.getProperty("org.slf4j.simpleLogger.log.org.flywaydb") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.org.flywaydb", "warn");
    }
    int customers = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    KeyProvider keys = KeyProvider.ephemeral(); // production: KeyProvider.fromEnvironment(...)
    JdbcDataSource crm = new JdbcDataSource();
    crm.setURL("jdbc:h2:mem:crm;DB_CLOSE_DELAY=-1");
    SyntheticCustomers.Population population = SyntheticCustomers.generate(customers, 42);
    createTable(crm, "customers", population.customers());
    try (ConsentDatabase consent = ConsentDatabase.open(crm, "CRM database")) {
      ConsentLedger ledger = consent.ledger(SubjectKeyer.from(keys));
      DemoPipeline.recordConsents(ledger, population);
      Outcome outcome = segment(crm, ledger, keys, consent.memberships());
      System.out.printf("run %s: read %,d customers, segmented %,d with a lawful basis; "
          + "segments are in table marketing_segment, the record in privseg_run%n",
          outcome.runId(), outcome.customersRead(), outcome.segmented());
    }
  }

  /**
   * Reads the CRM's customers (the {@link #READ} columns only), segments those the ledger
   * allows, and writes the segments and the run's processing record back into the CRM.
   */
  public static Outcome segment(DataSource crm, ConsentLedger ledger, KeyProvider keys,
      MembershipRegistry memberships) throws SQLException {
    Schema schema = SyntheticCustomers.SCHEMA.project(READ);
    Dataset customers;
    try (Connection c = crm.getConnection()) {
      c.setAutoCommit(false); // with a fetch size, PostgreSQL streams rows instead of buffering
      try (Statement s = c.createStatement()) {
        s.setFetchSize(10_000);
        try (ResultSet rs = s.executeQuery("SELECT " + String.join(", ", READ)
            + " FROM customers")) {
          customers = JdbcReader.read(rs, schema);
        }
      } finally {
        c.rollback(); // read only
        c.setAutoCommit(true);
      }
    }
    SegmentationRun run = DemoPipeline.build(DemoPipeline.gate(ledger), keys, 5, 42, 25)
        .run(customers);
    writeBack(crm, run);
    memberships.register(run, "Customers are grouped by age band, region, tenure, orders, "
        + "spend, recency and preferred channel (k-means, 5 segments) to tailor offers.");
    return new Outcome(run.report().runId(), customers.rowCount(), run.assignments().size());
  }

  /** One transaction: the run's record and every assignment, or nothing. */
  private static void writeBack(DataSource crm, SegmentationRun run) throws SQLException {
    try (Connection c = crm.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS privseg_run (run_id VARCHAR(64) PRIMARY KEY, "
            + "purpose VARCHAR(200) NOT NULL, record CLOB NOT NULL)");
        s.execute("CREATE TABLE IF NOT EXISTS marketing_segment (run_id VARCHAR(64) NOT NULL "
            + "REFERENCES privseg_run, pseudonym VARCHAR(100) NOT NULL, segment INT NOT NULL, "
            + "PRIMARY KEY (run_id, pseudonym))");
        String runId = run.report().runId();
        try (PreparedStatement p = c.prepareStatement("INSERT INTO privseg_run VALUES (?, ?, ?)")) {
          p.setString(1, runId);
          p.setString(2, run.report().purpose().id());
          p.setString(3, run.report().toJson());
          p.executeUpdate();
        }
        Assignments a = run.assignments();
        try (PreparedStatement p = c.prepareStatement(
            "INSERT INTO marketing_segment VALUES (?, ?, ?)")) {
          for (int i = 0; i < a.size(); i++) {
            p.setString(1, runId);
            p.setString(2, a.pseudonym(i));
            p.setInt(3, a.segment(i));
            p.addBatch();
            if (i % 5_000 == 4_999) {
              p.executeBatch();
            }
          }
          p.executeBatch();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /**
   * Stands in for a CRM's table: creates {@code table} with a column per field of {@code rows}
   * (keyed by the subject field, if the schema names one) and inserts every row.
   */
  public static void createTable(DataSource db, String table, Dataset rows) throws SQLException {
    List<Field> fields = rows.schema().fields();
    StringBuilder ddl = new StringBuilder("CREATE TABLE " + table + " (");
    for (int i = 0; i < fields.size(); i++) {
      Field f = fields.get(i);
      ddl.append(i == 0 ? "" : ", ").append(f.name()).append(' ').append(switch (f.type()) {
        case INTEGER -> "BIGINT";
        case NUMERIC -> "DOUBLE PRECISION";
        case DATE -> "DATE";
        case TIMESTAMP -> "TIMESTAMP";
        default -> "VARCHAR(200)";
      });
    }
    rows.schema().subjectField().ifPresent(id -> ddl.append(", PRIMARY KEY (").append(id)
        .append(')'));
    ddl.append(')');
    String insert = "INSERT INTO " + table + " VALUES (" + "?, ".repeat(fields.size() - 1)
        + "?)";
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      s.execute(ddl.toString());
      try (PreparedStatement p = c.prepareStatement(insert)) {
        for (int r = 0; r < rows.rowCount(); r++) {
          for (int i = 0; i < fields.size(); i++) {
            set(p, i + 1, rows.column(fields.get(i).name()), r);
          }
          p.addBatch();
          if (r % 5_000 == 4_999) {
            p.executeBatch();
          }
        }
        p.executeBatch();
      }
    }
  }

  /** Binds row {@code r} of {@code column} as parameter {@code i}, typed as its field is. */
  private static void set(PreparedStatement p, int i, Column column, int r) throws SQLException {
    Field f = column.field();
    if (column.isNull(r)) {
      p.setNull(i, switch (f.type()) {
        case INTEGER -> Types.BIGINT;
        case NUMERIC -> Types.DOUBLE;
        case DATE -> Types.DATE;
        case TIMESTAMP -> Types.TIMESTAMP;
        default -> Types.VARCHAR;
      });
    } else if (f.type() == FieldType.INTEGER) {
      p.setLong(i, ((LongColumn) column).get(r));
    } else if (f.type() == FieldType.NUMERIC) {
      p.setDouble(i, ((NumericColumn) column).get(r));
    } else if (f.type() == FieldType.DATE) {
      p.setDate(i, java.sql.Date.valueOf(LocalDate.ofEpochDay(((LongColumn) column).get(r))));
    } else if (f.type() == FieldType.TIMESTAMP) {
      p.setTimestamp(i, java.sql.Timestamp.from(
          java.time.Instant.ofEpochMilli(((LongColumn) column).get(r))));
    } else {
      p.setString(i, column.text(r));
    }
  }
}
