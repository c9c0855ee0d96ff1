package dev.privseg.consent.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The row (schema version 12) on which erasures and membership registrations serialize, across
 * connections and processes: each locks it for the rest of its transaction. It holds the time of
 * the latest erasure, and nothing about whom.
 */
final class ErasureLock {
  private ErasureLock() {}

  /** Locks the row; returns the time of the latest erasure (epoch milliseconds, 0 if none). */
  static long lock(Connection tx) throws SQLException {
    try (PreparedStatement s = tx.prepareStatement("SELECT setting FROM privseg_setting "
        + "WHERE name = 'last_erasure_at' FOR UPDATE");
        ResultSet rs = s.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("the erasure lock row is missing (consent schema version 12)");
      }
      return Long.parseLong(rs.getString(1));
    }
  }

  /** Locks the row and records an erasure at {@code nowMillis}. */
  static void lockAndStamp(Connection tx, long nowMillis) throws SQLException {
    long last = lock(tx);
    try (PreparedStatement s = tx.prepareStatement("UPDATE privseg_setting SET setting = ? "
        + "WHERE name = 'last_erasure_at'")) {
      s.setString(1, Long.toString(Math.max(last, nowMillis)));
      s.executeUpdate();
    }
  }
}
