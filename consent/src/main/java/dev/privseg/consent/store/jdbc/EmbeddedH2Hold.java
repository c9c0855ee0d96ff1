package dev.privseg.consent.store.jdbc;

import dev.privseg.consent.ConsentException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Keeps an embedded H2 database open while privseg has it open. H2 closes an embedded database
 * with its last connection: through a data source that is not pooled, an in-memory database
 * vanished between two operations, and a file database was closed and reopened for each one, a
 * cycle in which H2 2.3 lost a committed event. One idle connection, held from open to close,
 * prevents both; a pooled data source loses one connection to it. Other databases, and H2
 * reached over TCP, are left alone. Uses JDBC metadata only, so it loads no H2 class.
 */
final class EmbeddedH2Hold {
  private EmbeddedH2Hold() {}

  /**
   * Holds a connection of {@code dataSource} if it reaches an embedded H2 database, and returns
   * what releases it (nothing to do for other databases).
   *
   * @throws ConsentException naming {@code description} if no connection can be had, and as in
   *     use if another process holds the embedded H2 database
   */
  private static Runnable hold(DataSource dataSource, String description) {
    Connection held;
    try {
      held = dataSource.getConnection();
    } catch (SQLException e) {
      throw Migrations.connectFailure(description, e);
    }
    try {
      if (!embeddedH2(held.getMetaData())) {
        held.close();
        return () -> { };
      }
    } catch (SQLException e) {
      closeQuietly(held, e);
      throw Migrations.failure("reading the database's product", description, e);
    }
    return () -> closeQuietly(held, null);
  }

  /**
   * Holds the database as {@link #hold} does while {@code opening} runs (migrations, say), and
   * returns what releases it; if {@code opening} throws, releases it first.
   */
  static Runnable holdWhile(DataSource dataSource, String description, Runnable opening) {
    Runnable release = hold(dataSource, description);
    try {
      opening.run();
    } catch (RuntimeException e) {
      release.run();
      throw e;
    }
    return release;
  }

  private static boolean embeddedH2(DatabaseMetaData meta) throws SQLException {
    String url = meta.getURL();
    return "H2".equals(meta.getDatabaseProductName()) && url != null
        && !url.startsWith("jdbc:h2:tcp:") && !url.startsWith("jdbc:h2:ssl:");
  }

  private static void closeQuietly(Connection c, SQLException cause) {
    try {
      c.close();
    } catch (SQLException e) {
      if (cause != null) {
        cause.addSuppressed(e);
      }
    }
  }
}
