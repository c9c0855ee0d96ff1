package dev.privseg.consent.store.jdbc;

import dev.privseg.consent.Activation;
import dev.privseg.consent.ActivationLog;
import dev.privseg.consent.ConsentException;
import dev.privseg.core.gate.BasisDecision;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * An {@link ActivationLog} in the consent database (schema V16): each activation and its
 * exclusions by reason, written in one transaction. Thread-safe.
 */
public final class JdbcActivationLog implements ActivationLog {
  private final DataSource dataSource;
  private final String description;

  private JdbcActivationLog(DataSource dataSource, String description) {
    this.dataSource = dataSource;
    this.description = description;
  }

  /** The log on a database whose schema is already current; runs no DDL. */
  static JdbcActivationLog attach(DataSource dataSource, String description) {
    return new JdbcActivationLog(dataSource, description);
  }

  @Override
  public void record(Activation a) {
    try (Connection c = dataSource.getConnection()) {
      Migrations.inTransaction(c, tx -> {
        try (PreparedStatement s = tx.prepareStatement("INSERT INTO privseg_activation "
            + "(activation_id, run_id, purpose, channel, actor, activated_at, members, allowed, "
            + "logged_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(logged_seq), 0) "
            + "+ 1 FROM privseg_activation))")) {
          s.setString(1, a.activationId());
          s.setString(2, a.runId());
          s.setString(3, a.purpose());
          s.setString(4, a.channel());
          s.setString(5, a.actor());
          s.setLong(6, a.at().toEpochMilli());
          s.setLong(7, a.members());
          s.setLong(8, a.allowed());
          s.executeUpdate();
        }
        try (PreparedStatement s = tx.prepareStatement("INSERT INTO "
            + "privseg_activation_exclusion (activation_id, reason, members) VALUES (?, ?, ?)")) {
          for (Map.Entry<BasisDecision, Long> e : a.excluded().entrySet()) {
            s.setString(1, a.activationId());
            s.setString(2, e.getKey().name());
            s.setLong(3, e.getValue());
            s.addBatch();
          }
          s.executeBatch();
        }
        return null;
      });
    } catch (SQLException e) {
      throw Migrations.failure("recording an activation", description, e);
    }
  }

  @Override
  public List<Activation> activations() {
    try (Connection c = dataSource.getConnection()) {
      Map<String, Map<BasisDecision, Long>> excluded = new LinkedHashMap<>();
      try (PreparedStatement s = c.prepareStatement("SELECT activation_id, reason, members "
          + "FROM privseg_activation_exclusion"); ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          excluded.computeIfAbsent(rs.getString(1), id -> new EnumMap<>(BasisDecision.class))
              .put(BasisDecision.valueOf(rs.getString(2)), rs.getLong(3));
        }
      }
      List<Activation> out = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("SELECT activation_id, run_id, purpose, "
          + "channel, actor, activated_at, members, allowed FROM privseg_activation "
          + "ORDER BY logged_seq"); ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(new Activation(rs.getString(1), rs.getString(2), rs.getString(3),
              rs.getString(4), rs.getString(5), Instant.ofEpochMilli(rs.getLong(6)),
              rs.getLong(7), rs.getLong(8), excluded.getOrDefault(rs.getString(1), Map.of())));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new ConsentException("reading activations in " + description + " failed: "
          + e.getClass().getSimpleName(), e);
    }
  }
}
