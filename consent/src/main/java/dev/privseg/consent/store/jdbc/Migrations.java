package dev.privseg.consent.store.jdbc;

import dev.privseg.consent.ConsentException;
import dev.privseg.core.Checks;
import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * What the JDBC stores share: the consent schema's Flyway migrations, the embedded H2 data
 * source, and running work in one transaction.
 */
final class Migrations {
  private static final String LOCATION = "classpath:META-INF/privseg/consent-migration";
  /** H2's "database may be already in use" (error 90020): another process holds the file. */
  private static final String H2_IN_USE = "90020";
  /** Flyway's history of the consent schema: its presence marks a consent database. */
  private static final String HISTORY_TABLE = "privseg_consent_schema_history";

  private Migrations() {}

  /** Work on a connection inside a transaction. */
  interface SqlWork<T> {
    T run(java.sql.Connection c) throws java.sql.SQLException;
  }

  /** One row of a result set. */
  @FunctionalInterface
  interface RowVisitor {
    void visit(java.sql.ResultSet rs) throws java.sql.SQLException;
  }

  /** Sets a statement's parameters. */
  @FunctionalInterface
  interface Binder {
    void bind(java.sql.PreparedStatement s) throws java.sql.SQLException;
  }

  /**
   * Visits every row of {@code sql} in fetches of 10,000: PostgreSQL streams with a cursor only
   * inside a transaction, and would otherwise hold a million-row result in memory at once. On
   * PostgreSQL the rows come in the binary format ({@link Postgres#binaryResults}). H2 would
   * first copy a large result into a temporary store on disk: the scan runs with H2's lazy query
   * execution instead, which computes rows as they are read (a million-event snapshot scan: 2.5
   * against 1.6 s). Lazy execution is H2's for one open result per connection, which is how it
   * is used here; it is switched off again afterwards, H2's default, also on a host's own H2
   * connection.
   */
  static void stream(DataSource dataSource, String sql, RowVisitor visitor)
      throws java.sql.SQLException {
    stream(dataSource, sql, s -> { }, visitor);
  }

  /** Visits every row of {@code sql} with the parameters {@code binder} sets, as above. */
  static void stream(DataSource dataSource, String sql, Binder binder, RowVisitor visitor)
      throws java.sql.SQLException {
    try (java.sql.Connection c = dataSource.getConnection()) {
      inTransaction(c, tx -> {
        boolean h2 = "H2".equals(tx.getMetaData().getDatabaseProductName());
        if (h2) {
          lazyQueryExecution(tx, true);
        }
        try (java.sql.PreparedStatement s = tx.prepareStatement(sql)) {
          binder.bind(s);
          if (Postgres.available(tx)) {
            Postgres.binaryResults(s);
          }
          s.setFetchSize(10_000);
          try (java.sql.ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              visitor.visit(rs);
            }
          }
        } finally {
          if (h2) {
            lazyQueryExecution(tx, false);
          }
        }
        return null;
      });
    }
  }

  /**
   * The exception for a failed database operation: what was being done, in which database, and
   * the driver's exception type and SQL state, never its message (a driver may quote a value).
   */
  static ConsentException failure(String what, String description, java.sql.SQLException e) {
    return new ConsentException(what + " in " + description + " failed: "
        + e.getClass().getSimpleName() + " (SQLState " + e.getSQLState() + ")", e);
  }

  private static void lazyQueryExecution(java.sql.Connection c, boolean lazy)
      throws java.sql.SQLException {
    try (java.sql.Statement s = c.createStatement()) {
      s.execute("SET LAZY_QUERY_EXECUTION " + (lazy ? "TRUE" : "FALSE"));
    }
  }

  /**
   * Runs {@code work} in one transaction on {@code c}: committed if it returns, rolled back if it
   * throws; the connection's auto-commit mode is restored either way. When the work fails, that
   * failure is the one thrown: a rollback or restore that fails after it (on a connection the
   * database dropped, say) is added to it as suppressed, so that its SQLState still says what
   * happened.
   */
  static <T> T inTransaction(java.sql.Connection c, SqlWork<T> work)
      throws java.sql.SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    T result;
    try {
      result = work.run(c);
      c.commit();
    } catch (java.sql.SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (java.sql.SQLException rollback) {
        e.addSuppressed(rollback);
      }
      try {
        c.setAutoCommit(autoCommit);
      } catch (java.sql.SQLException restore) {
        e.addSuppressed(restore);
      }
      throw e;
    }
    c.setAutoCommit(autoCommit);
    return result;
  }

  /**
   * Creates or upgrades the consent tables; idempotent. The database may already hold a host's
   * own tables (the consent tables usually go into the CRM's database): privseg keeps its own
   * history table, and a schema that has tables but not that one is baselined at version 0, so
   * every consent migration still runs and no host table is touched.
   */
  static void migrate(DataSource dataSource, String description) {
    OptionalDependency.FLYWAY.require();
    WithFlyway.migrate(dataSource, description);
  }

  /** Names Flyway's types; loaded only once Flyway is known to be there. */
  private static final class WithFlyway {
    static void migrate(DataSource dataSource, String description) {
      try {
        org.flywaydb.core.Flyway.configure()
            // Through the host's SLF4J backend, never Flyway's own console logger.
            .loggers("slf4j")
            .dataSource(dataSource)
            .locations(LOCATION)
            .javaMigrations(new UnlinkErasedSubjects())
            .table(HISTORY_TABLE)
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .load()
            .migrate();
      } catch (RuntimeException e) {
        java.sql.SQLException sql = sqlCause(e);
        if (sql != null && H2_IN_USE.equals(sql.getSQLState())) {
          throw inUse(description, e);
        }
        throw new ConsentException("cannot migrate the consent schema in " + description + ": "
            + e.getClass().getSimpleName()
            + (sql == null ? "" : " (SQLState " + sql.getSQLState() + ")"), e);
      }
    }
  }

  /**
   * The failure to connect to {@code description} as {@code e}: named as in use when another
   * process holds the embedded H2 database, else as {@link #failure}.
   */
  static ConsentException connectFailure(String description, java.sql.SQLException e) {
    return H2_IN_USE.equals(e.getSQLState()) ? inUse(description, e)
        : failure("connecting", description, e);
  }

  private static ConsentException inUse(String description, Exception e) {
    return new ConsentException("the " + description + " is in use by another process: an "
        + "embedded H2 database opens in one process at a time (wait for the other to "
        + "finish, or keep the consent database in PostgreSQL)", e);
  }

  /** The first {@link java.sql.SQLException} among the causes of {@code e}, or null. */
  private static java.sql.SQLException sqlCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLException sql) {
        return sql;
      }
    }
    return null;
  }

  /**
   * Throws unless the database behind {@code dataSource} holds the consent schema at
   * {@code version} (its {@code schema_version} setting, which every migration from version 13 on
   * keeps current), so that a host that manages the schema itself learns which SQL to apply.
   */
  static void requireSchemaVersion(DataSource dataSource, String description, int version) {
    String found;
    try (java.sql.Connection c = dataSource.getConnection()) {
      if (!hasTable(c, "privseg_setting")) {
        throw new ConsentException("the " + description + " holds no privseg consent tables: "
            + "apply the consent schema's SQL up to version " + version + " first (see "
            + "docs/consent.md, 'Running the migrations yourself')");
      }
      try (java.sql.PreparedStatement s = c.prepareStatement(
          "SELECT setting FROM privseg_setting WHERE name = 'schema_version'");
          java.sql.ResultSet rs = s.executeQuery()) {
        found = rs.next() ? rs.getString(1) : null;
      }
    } catch (java.sql.SQLException e) {
      throw failure("checking the schema version", description, e);
    }
    int at;
    try {
      at = found == null ? 12 : Integer.parseInt(found.strip());
    } catch (NumberFormatException e) {
      throw new ConsentException("the " + description + " has an unreadable schema_version "
          + "setting");
    }
    if (at < version) {
      throw new ConsentException("the consent schema in the " + description + " is at version "
          + (found == null ? "12 or older" : String.valueOf(at)) + " but this privseg needs "
          + version + ": apply the migrations after version " + at + " up to " + version);
    }
    if (at > version) {
      throw new ConsentException("the consent schema in the " + description + " is at version "
          + at + ", newer than this privseg reads (" + version + "): upgrade privseg");
    }
  }

  /** Whether {@code table} exists in the connection's own schema. */
  private static boolean hasTable(java.sql.Connection c, String table)
      throws java.sql.SQLException {
    try (java.sql.ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%",
        new String[] {"TABLE"})) {
      while (rs.next()) {
        if (table.equalsIgnoreCase(rs.getString("TABLE_NAME"))) {
          return true;
        }
      }
    }
    return false;
  }

  /** Makes a store on a data source whose schema is current. */
  @FunctionalInterface
  interface Attach<T> {
    T attach(DataSource dataSource, String description);
  }

  /**
   * A store opened on its own: checks the arguments, brings the schema up to date, attaches.
   * Every store's public {@code open} is this.
   */
  static <T> T open(DataSource dataSource, String description, Attach<T> attach) {
    Checks.notNull(dataSource, "dataSource");
    Checks.notBlank(description, "description");
    migrate(dataSource, description);
    return attach.attach(dataSource, description);
  }

  /** The file of the embedded H2 database in {@code directory}. */
  static Path h2File(Path directory) {
    return directory.resolve("consent-ledger.mv.db");
  }

  /**
   * Throws unless the database behind {@code dataSource} holds privseg's consent tables (its
   * schema history table), so that a read-only command never creates them.
   */
  static void requireConsentTables(DataSource dataSource, String description) {
    // In the connection's own schema, where Flyway keeps it: another schema of the same
    // database may hold another consent database.
    try (java.sql.Connection c = dataSource.getConnection()) {
      if (hasTable(c, HISTORY_TABLE)) {
        return;
      }
    } catch (java.sql.SQLException e) {
      throw failure("opening", description, e);
    }
    throw new ConsentException("the " + description + " holds no privseg consent tables: check "
        + "the database named; they are created only by a command that records consents, such "
        + "as 'consent import', or by ConsentDatabase.open");
  }
}
