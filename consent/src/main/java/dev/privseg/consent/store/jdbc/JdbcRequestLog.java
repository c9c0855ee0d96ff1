package dev.privseg.consent.store.jdbc;

import dev.privseg.consent.ConsentException;
import dev.privseg.consent.rights.RequestLog;
import dev.privseg.consent.rights.RequestRegime;
import dev.privseg.consent.rights.RequestStatus;
import dev.privseg.consent.rights.RequestType;
import dev.privseg.consent.rights.SubjectRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A {@link RequestLog} in the consent database (schema V3, time limits since V15), so the record
 * of requests outlives the process. Thread-safe.
 */
public final class JdbcRequestLog implements RequestLog {
  private final DataSource dataSource;
  private final String description;

  private JdbcRequestLog(DataSource dataSource, String description) {
    this.dataSource = dataSource;
    this.description = description;
  }

  /** Opens the log on {@code dataSource}, migrating the schema if needed. */
  public static JdbcRequestLog open(DataSource dataSource, String description) {
    return Migrations.open(dataSource, description, JdbcRequestLog::attach);
  }

  /** The log on a database whose schema is already current; runs no DDL. */
  static JdbcRequestLog attach(DataSource dataSource, String description) {
    return new JdbcRequestLog(dataSource, description);
  }

  @Override
  public void record(SubjectRequest r) {
    try (Connection c = dataSource.getConnection()) {
      Migrations.inTransaction(c, tx -> {
        try (PreparedStatement update = tx.prepareStatement("UPDATE privseg_subject_request "
            + "SET request_type = ?, subject_key = ?, received_at = ?, actor = ?, outcome = ?, "
            + "status = ?, regime = ?, due_at = ?, extension = ?, closed_at = ? "
            + "WHERE request_id = ?")) {
          bind(update, r, 1);
          update.setString(11, r.requestId());
          if (update.executeUpdate() > 0) {
            return null;
          }
        }
        try (PreparedStatement insert = tx.prepareStatement("INSERT INTO privseg_subject_request "
            + "(request_type, subject_key, received_at, actor, outcome, status, regime, due_at, "
            + "extension, closed_at, request_id, logged_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            + "?, (SELECT COALESCE(MAX(logged_seq), 0) + 1 FROM privseg_subject_request))")) {
          bind(insert, r, 1);
          insert.setString(11, r.requestId());
          insert.executeUpdate();
        }
        return null;
      });
    } catch (SQLException e) {
      throw Migrations.failure("recording a subject request", description, e);
    }
  }

  /** Binds every column but the id and sequence, from parameter {@code first} on. */
  private static void bind(PreparedStatement s, SubjectRequest r, int first) throws SQLException {
    s.setString(first, r.type().name());
    s.setString(first + 1, r.subjectKey());
    s.setLong(first + 2, r.receivedAt().toEpochMilli());
    s.setString(first + 3, r.actor());
    s.setString(first + 4, r.outcome().length() > 512 ? r.outcome().substring(0, 512)
        : r.outcome());
    s.setString(first + 5, r.status().name());
    s.setString(first + 6, r.regime() == null ? null : r.regime().name());
    setMillis(s, first + 7, r.dueAt());
    s.setString(first + 8, r.extension());
    setMillis(s, first + 9, r.closedAt());
  }

  private static void setMillis(PreparedStatement s, int index, Instant at) throws SQLException {
    if (at == null) {
      s.setNull(index, java.sql.Types.BIGINT);
    } else {
      s.setLong(index, at.toEpochMilli());
    }
  }

  @Override
  public void unlink(java.util.Collection<String> subjectKeys) {
    if (subjectKeys.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      Migrations.inTransaction(c, tx -> {
        try (PreparedStatement s = tx.prepareStatement("UPDATE privseg_subject_request "
            + "SET subject_key = ? WHERE subject_key = ?")) {
          for (String key : subjectKeys) {
            s.setString(1, SubjectRequest.UNLINKED);
            s.setString(2, key);
            s.addBatch();
          }
          s.executeBatch();
        }
        return null;
      });
    } catch (SQLException e) {
      throw Migrations.failure("unlinking subject requests", description, e);
    }
  }

  @Override
  public List<SubjectRequest> requests() {
    return select("", null);
  }

  @Override
  public Optional<SubjectRequest> find(String requestId) {
    return select(" WHERE request_id = ?", requestId).stream().findFirst();
  }

  @Override
  public List<SubjectRequest> open() {
    return select(" WHERE status IN ('OPEN', 'EXTENDED')", null);
  }

  private List<SubjectRequest> select(String where, String parameter) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT request_id, request_type, subject_key, "
            + "received_at, actor, outcome, status, regime, due_at, extension, closed_at "
            + "FROM privseg_subject_request" + where + " ORDER BY logged_seq")) {
      if (parameter != null) {
        s.setString(1, parameter);
      }
      List<SubjectRequest> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String regime = rs.getString(8);
          out.add(new SubjectRequest(rs.getString(1), RequestType.valueOf(rs.getString(2)),
              rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)), rs.getString(5),
              rs.getString(6), RequestStatus.valueOf(rs.getString(7)),
              regime == null ? null : RequestRegime.valueOf(regime), millis(rs, 9),
              rs.getString(10), millis(rs, 11)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new ConsentException("reading subject requests in " + description + " failed: "
          + e.getClass().getSimpleName(), e);
    }
  }

  private static Instant millis(ResultSet rs, int column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(value);
  }
}
