package dev.privseg.consent.store;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL server the integration tests use: {@code PRIVSEG_PG_URL} (a JDBC URL with user),
 * which {@code .ci/run} sets after starting a server on loopback. Without it the PostgreSQL tests
 * are skipped with a visible message, except under CI, where its absence fails them.
 */
public final class Databases {
  private Databases() {}

  /** The server URL, or skips (fails under CI) when none is configured. */
  public static String postgresUrl() {
    String url = System.getenv("PRIVSEG_PG_URL");
    if (url == null || url.isBlank()) {
      if (System.getenv("CI") != null) {
        fail("PRIVSEG_PG_URL is not set under CI: .ci/run must start PostgreSQL");
      }
      assumeTrue(false, "SKIPPED: PostgreSQL tests need PRIVSEG_PG_URL (bash .ci/run sets it)");
    }
    return url;
  }

  /** A data source on a fresh, empty schema of the test server. */
  public static DataSource freshPostgresSchema() {
    String schema = "privseg_test_" + UUID.randomUUID().toString().replace("-", "");
    PGSimpleDataSource admin = new PGSimpleDataSource();
    admin.setURL(postgresUrl());
    try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test schema", e);
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(postgresUrl());
    ds.setCurrentSchema(schema);
    ds.setReWriteBatchedInserts(true);
    return ds;
  }

  /** A check of a consent database, given its data source too (for SQL behind its back). */
  @FunctionalInterface
  public interface DatabaseCheck {
    void check(DataSource dataSource, dev.privseg.consent.store.jdbc.ConsentDatabase db)
        throws Exception;
  }

  /** Runs {@code check} on a new file-backed H2 consent database in {@code dir}. */
  public static void onH2(java.nio.file.Path dir, DatabaseCheck check) throws Exception {
    org.h2.jdbcx.JdbcConnectionPool pool = org.h2.jdbcx.JdbcConnectionPool.create(
        "jdbc:h2:file:" + dir.resolve("db") + ";WRITE_DELAY=0", "privseg", "");
    try (var db = dev.privseg.consent.store.jdbc.ConsentDatabase.open(pool, "H2 test")) {
      check.check(pool, db);
    } finally {
      pool.dispose();
    }
  }

  /** Runs {@code check} on a consent database in a fresh PostgreSQL schema. */
  public static void onPostgres(DatabaseCheck check) throws Exception {
    DataSource ds = freshPostgresSchema();
    try (var db = dev.privseg.consent.store.jdbc.ConsentDatabase.open(ds, "PostgreSQL test")) {
      check.check(ds, db);
    }
  }
}
