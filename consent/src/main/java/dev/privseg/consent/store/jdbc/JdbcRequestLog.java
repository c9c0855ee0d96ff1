package dev.privseg.consent.store.jdbc;

import dev.privseg.consent.ConsentException;
import dev.privseg.consent.rights.RequestLog;
import dev.privseg.consent.rights.RequestType;
import dev.privseg.consent.rights.SubjectRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * A {@link RequestLog} in the consent database (schema V3), so the record of handled requests
 * outlives the process. Thread-safe.
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
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("INSERT INTO privseg_subject_request "
            + "(request_id, request_type, subject_key, received_at, actor, outcome, logged_seq) "
            + "VALUES (?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(logged_seq), 0) + 1 FROM "
            + "privseg_subject_request))")) {
      s.setString(1, r.requestId());
      s.setString(2, r.type().name());
      s.setString(3, r.subjectKey());
      s.setLong(4, r.receivedAt().toEpochMilli());
      s.setString(5, r.actor());
      s.setString(6, r.outcome().length() > 512 ? r.outcome().substring(0, 512) : r.outcome());
      s.executeUpdate();
    } catch (SQLException e) {
      throw Migrations.failure("recording a subject request", description, e);
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
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT request_id, request_type, subject_key, "
            + "received_at, actor, outcome FROM privseg_subject_request ORDER BY logged_seq");
        ResultSet rs = s.executeQuery()) {
      List<SubjectRequest> out = new ArrayList<>();
      while (rs.next()) {
        out.add(new SubjectRequest(rs.getString(1), RequestType.valueOf(rs.getString(2)),
            rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)), rs.getString(5),
            rs.getString(6)));
      }
      return out;
    } catch (SQLException e) {
      throw new ConsentException("reading subject requests in " + description + " failed: "
          + e.getClass().getSimpleName(), e);
    }
  }
}
