package dev.privseg.consent.store.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.postgresql.PGConnection;
import org.postgresql.PGStatement;
import org.postgresql.copy.CopyIn;

/**
 * What the JDBC stores do differently on PostgreSQL, through its driver's own API.
 *
 * <ul>
 *   <li>Bulk inserts through the COPY protocol ({@link #copy}), which takes rows as a stream of
 *       CSV instead of one bound statement each: several times faster than batched inserts for
 *       the million rows a run registers. The CSV is written by Commons CSV in PostgreSQL's own
 *       dialect, so any value round-trips. COPY runs inside the connection's transaction.
 *   <li>Long scans in the binary format ({@link #binaryResults}): the driver otherwise asks for
 *       text, and parses every {@code bigint} back from its decimal digits.
 * </ul>
 *
 * <p>Only loaded when the connection is PostgreSQL's, so the driver stays optional for hosts on
 * H2 (see {@link #available(Connection)}).
 */
final class Postgres {
  /** Rows written to the server at a time. */
  private static final int CHUNK = 10_000;

  private Postgres() {}

  /** Rows of a table, in order; {@link #write} appends row {@code i}'s values. */
  interface Rows {
    int size();

    void write(int i, CSVPrinter out) throws IOException;
  }

  /**
   * Whether {@code c} is a PostgreSQL connection with the PostgreSQL driver (directly or behind a
   * pool that unwraps to it).
   */
  static boolean available(Connection c) throws SQLException {
    if (!"PostgreSQL".equals(c.getMetaData().getDatabaseProductName())) {
      return false;
    }
    try {
      Class.forName("org.postgresql.PGConnection", false, Postgres.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return false;
    }
    return c.isWrapperFor(PGConnection.class);
  }

  /**
   * Makes {@code s} fetch its results in PostgreSQL's binary format from its first execution (a
   * negative prepare threshold: the driver's documented switch). For scans of a million rows,
   * where decoding the text of five {@code bigint} columns cost more than the rows' transfer; not
   * for single-row queries, which it would cost an extra round trip to describe.
   */
  static void binaryResults(PreparedStatement s) throws SQLException {
    s.unwrap(PGStatement.class).setPrepareThreshold(-1);
  }

  /**
   * Copies {@code rows} into {@code table}'s {@code columns} (a comma-separated list of names);
   * returns the number of rows the server took.
   */
  static long copy(Connection c, String table, String columns, Rows rows) throws SQLException {
    CopyIn in = c.unwrap(PGConnection.class).getCopyAPI()
        .copyIn("COPY " + table + " (" + columns + ") FROM STDIN WITH (FORMAT csv)");
    try {
      StringBuilder text = new StringBuilder(CHUNK * 64);
      CSVPrinter out = new CSVPrinter(text, CSVFormat.POSTGRESQL_CSV);
      for (int i = 0; i < rows.size(); i++) {
        rows.write(i, out);
        if (i % CHUNK == CHUNK - 1) {
          send(in, text);
        }
      }
      send(in, text);
      return in.endCopy();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // appending to a StringBuilder does not fail
    } finally {
      if (in.isActive()) {
        in.cancelCopy();
      }
    }
  }

  private static void send(CopyIn in, StringBuilder text) throws SQLException {
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    in.writeToCopy(bytes, 0, bytes.length);
    text.setLength(0);
  }
}
