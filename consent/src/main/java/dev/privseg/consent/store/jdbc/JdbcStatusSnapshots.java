package dev.privseg.consent.store.jdbc;

import dev.privseg.consent.StatusSnapshot;
import dev.privseg.consent.StatusSnapshots;
import dev.privseg.core.Checks;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * {@link StatusSnapshots} in the consent database (schema V20): a snapshot's header and parts are
 * written, and the purpose's earlier snapshot dropped, in one transaction, so a reader sees one
 * snapshot whole. Thread-safe.
 */
public final class JdbcStatusSnapshots implements StatusSnapshots {
  private final DataSource dataSource;
  private final String description;
  private final SecureRandom random = new SecureRandom();

  private JdbcStatusSnapshots(DataSource dataSource, String description) {
    this.dataSource = dataSource;
    this.description = description;
  }

  /** The store on a database whose schema is already current; runs no DDL. */
  static JdbcStatusSnapshots attach(DataSource dataSource, String description) {
    return new JdbcStatusSnapshots(dataSource, description);
  }

  @Override
  public StatusSnapshot save(StatusSnapshot snapshot, List<byte[]> parts) {
    Checks.notNull(snapshot, "snapshot");
    Checks.notNull(parts, "parts");
    long id = random.nextLong() & Long.MAX_VALUE;
    try (Connection c = dataSource.getConnection()) {
      Migrations.inTransaction(c, tx -> {
        try (PreparedStatement s = tx.prepareStatement("DELETE FROM "
            + "privseg_status_snapshot_part WHERE snapshot_id IN (SELECT snapshot_id FROM "
            + "privseg_status_snapshot WHERE purpose = ?)")) {
          s.setString(1, snapshot.purpose());
          s.executeUpdate();
        }
        try (PreparedStatement s = tx.prepareStatement("DELETE FROM privseg_status_snapshot "
            + "WHERE purpose = ?")) {
          s.setString(1, snapshot.purpose());
          s.executeUpdate();
        }
        try (PreparedStatement s = tx.prepareStatement("INSERT INTO privseg_status_snapshot "
            + "(snapshot_id, purpose, policy, head_seq, head_hash, folded_at, taken_at, "
            + "subjects, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
          s.setLong(1, id);
          s.setString(2, snapshot.purpose());
          s.setString(3, snapshot.policy());
          s.setLong(4, snapshot.headSequence());
          s.setString(5, snapshot.headHash());
          s.setLong(6, snapshot.foldedAt().toEpochMilli());
          s.setLong(7, snapshot.takenAt().toEpochMilli());
          s.setLong(8, snapshot.subjects());
          s.setString(9, snapshot.digest());
          s.executeUpdate();
        }
        try (PreparedStatement s = tx.prepareStatement("INSERT INTO "
            + "privseg_status_snapshot_part (snapshot_id, part, data) VALUES (?, ?, ?)")) {
          for (int p = 0; p < parts.size(); p++) {
            s.setLong(1, id);
            s.setInt(2, p);
            s.setBytes(3, parts.get(p));
            s.addBatch();
            if (p % 16 == 15) {
              s.executeBatch();
            }
          }
          s.executeBatch();
        }
        return null;
      });
    } catch (SQLException e) {
      throw Migrations.failure("saving a status snapshot", description, e);
    }
    return new StatusSnapshot(id, snapshot.purpose(), snapshot.policy(),
        snapshot.headSequence(), snapshot.headHash(), snapshot.foldedAt(), snapshot.takenAt(),
        snapshot.subjects(), snapshot.digest());
  }

  @Override
  public Optional<StatusSnapshot> latest(String purpose) {
    Checks.notBlank(purpose, "purpose");
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT snapshot_id, policy, head_seq, "
            + "head_hash, folded_at, taken_at, subjects, digest FROM privseg_status_snapshot "
            + "WHERE purpose = ? ORDER BY taken_at DESC, snapshot_id")) {
      s.setString(1, purpose);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new StatusSnapshot(rs.getLong(1), purpose, rs.getString(2),
            rs.getLong(3), rs.getString(4), Instant.ofEpochMilli(rs.getLong(5)),
            Instant.ofEpochMilli(rs.getLong(6)), rs.getLong(7), rs.getString(8)));
      }
    } catch (SQLException e) {
      throw Migrations.failure("reading a status snapshot", description, e);
    }
  }

  @Override
  public void parts(long id, Consumer<byte[]> visitor) {
    try {
      Migrations.stream(dataSource, "SELECT data FROM privseg_status_snapshot_part WHERE "
          + "snapshot_id = ? ORDER BY part", s -> s.setLong(1, id),
          rs -> visitor.accept(rs.getBytes(1)));
    } catch (SQLException e) {
      throw Migrations.failure("reading a status snapshot", description, e);
    }
  }
}
