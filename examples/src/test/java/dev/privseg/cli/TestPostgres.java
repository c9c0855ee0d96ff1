package dev.privseg.cli;

/**
 * The PostgreSQL server the CLI's tests use: {@code PRIVSEG_PG_URL} (a JDBC URL with user),
 * which {@code .ci/run} sets after starting a server on loopback. Without it a test is skipped
 * with a visible message, except under CI, where its absence fails it.
 */
final class TestPostgres {
  private TestPostgres() {}

  /**
   * A fresh, empty schema of the test server, named from {@code prefix}.
   *
   * @param server the server's URL
   * @param name the schema's name
   * @param url the server's URL with the schema as the current one
   */
  record Schema(String server, String name, String url) {}

  /** A new schema on the test server; skips the test (fails it under CI) without a server. */
  static Schema freshSchema(String prefix) throws java.sql.SQLException {
    String server = System.getenv("PRIVSEG_PG_URL");
    if (server == null || server.isBlank()) {
      if (System.getenv("CI") != null) {
        org.junit.jupiter.api.Assertions.fail("PRIVSEG_PG_URL is not set under CI");
      }
      org.junit.jupiter.api.Assumptions.assumeTrue(false,
          "SKIPPED: PostgreSQL tests need PRIVSEG_PG_URL (bash .ci/run sets it)");
    }
    String name = prefix + java.util.UUID.randomUUID().toString().replace("-", "");
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(server);
        java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + name);
    }
    return new Schema(server, name,
        server + (server.contains("?") ? "&" : "?") + "currentSchema=" + name);
  }
}
