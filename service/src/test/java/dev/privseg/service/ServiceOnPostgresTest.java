package dev.privseg.service;

import dev.privseg.consent.store.Databases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** The service's contract on PostgreSQL (the server {@code .ci/run} starts), in a fresh schema. */
class ServiceOnPostgresTest extends ServiceHttpContract {
  @Override
  String jdbcUrl(Path dir) {
    return freshSchema();
  }

  /** The URL of a fresh, empty schema of the test server. */
  static String freshSchema() {
    String url = Databases.postgresUrl();
    String schema = "privseg_service_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a test schema", e);
    }
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }
}
