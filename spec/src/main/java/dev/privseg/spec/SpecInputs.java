package dev.privseg.spec;

import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.PrivsegException;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.io.JdbcReader;
import dev.privseg.core.schema.Schema;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;

/** Reading a spec's {@code input}: the character set of a CSV file, or a database query. */
final class SpecInputs {
  /** The schema the input is read against, loaded when first needed. */
  @FunctionalInterface
  interface SchemaSource {
    /** The spec's schema. */
    Schema schema() throws IOException;
  }

  private SpecInputs() {}

  /** The character set named by input.encoding; UTF-8 if none is named. */
  static Charset charset(String encoding) {
    if (encoding == null) {
      return StandardCharsets.UTF_8;
    }
    try {
      return Charset.forName(encoding);
    } catch (IllegalArgumentException e) { // illegal or unsupported name
      throw new ConfigurationException("spec: input.encoding '" + encoding + "' is not a "
          + "character set this Java knows (for example UTF-8, windows-1252, ISO-8859-1)");
    }
  }

  /**
   * Runs the input query. Connection and query errors carry the driver's message (about the
   * server, credentials or SQL, read before any row); errors while reading rows carry only the
   * SQL state, as a driver may quote the value it could not read.
   */
  static Dataset readJdbc(PipelineSpec.Input in, boolean lenient, SchemaSource schemaSource,
      Map<String, String> environment) {
    String url = Checks.notBlank(in.url(), "spec: input.url");
    String query = Checks.notBlank(in.query(), "spec: input.query");
    Properties login = new Properties();
    if (in.user() != null) {
      login.setProperty("user", in.user());
    }
    if (in.passwordEnv() != null) {
      String password = environment.get(in.passwordEnv());
      Checks.check(password != null, "environment variable %s (database password) is not set",
          in.passwordEnv());
      login.setProperty("password", password);
    }
    Schema schema;
    try {
      schema = schemaSource.schema();
    } catch (IOException e) {
      throw new ConfigurationException("spec: cannot read the schema: " + e.getMessage());
    }
    try (Connection c = DriverManager.getConnection(url, login)) {
      c.setReadOnly(true);
      // Stream rows instead of buffering the whole result (PostgreSQL's driver streams only
      // inside a transaction and with a fetch size); nothing is written, so it just ends.
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.setFetchSize(10_000);
        return query(s, query, schema, lenient);
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw new ConfigurationException("spec: cannot connect to input.url: " + e.getMessage());
    }
  }

  private static Dataset query(Statement s, String query, Schema schema, boolean lenient) {
    ResultSet rs;
    try {
      rs = s.executeQuery(query);
    } catch (SQLException e) {
      throw new ConfigurationException("spec: input.query failed: " + e.getMessage());
    }
    try (rs) {
      return JdbcReader.read(rs, schema, lenient);
    } catch (SQLException e) {
      // Not chained: the driver's message may quote a value.
      throw new PrivsegException("reading the input query's rows failed "
          + "(SQL state " + e.getSQLState() + ")");
    }
  }
}
