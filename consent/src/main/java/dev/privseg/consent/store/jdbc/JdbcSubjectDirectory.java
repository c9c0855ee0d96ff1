package dev.privseg.consent.store.jdbc;

import dev.privseg.consent.ConsentException;
import dev.privseg.consent.directory.SubjectDirectory;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.core.Checks;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * A {@link SubjectDirectory} in the same database as the {@link JdbcLedgerStore} (H2 or
 * PostgreSQL), migrated with the same Flyway scripts. Creating an entry is atomic across
 * processes: a concurrent insert of the same subject loses on the primary key and reads the
 * winner's row. Erasure deletes the row and writes the tombstone in one transaction. Thread-safe.
 */
public final class JdbcSubjectDirectory implements SubjectDirectory {
  private static final String UNIQUE_VIOLATION = "23505";
  private final DataSource dataSource;
  private final String description;
  private final Runnable onClose;
  private final SecureRandom random = new SecureRandom();

  private JdbcSubjectDirectory(DataSource dataSource, String description, Runnable onClose) {
    this.dataSource = dataSource;
    this.description = description;
    this.onClose = onClose;
  }

  /** Opens the directory on {@code dataSource}; {@code description} holds no credentials. */
  public static JdbcSubjectDirectory open(DataSource dataSource, String description) {
    Checks.notNull(dataSource, "dataSource");
    Checks.notBlank(description, "description");
    Migrations.migrate(dataSource, description);
    return new JdbcSubjectDirectory(dataSource, description, () -> {});
  }

  /** Opens the directory in the embedded H2 database of {@code JdbcLedgerStore.h2(directory)}. */
  public static JdbcSubjectDirectory h2(java.nio.file.Path directory) {
    org.h2.jdbcx.JdbcConnectionPool pool = Migrations.h2Pool(directory);
    Migrations.migrate(pool, "H2 directory in " + directory.getFileName());
    return new JdbcSubjectDirectory(pool, "H2 directory in " + directory.getFileName(),
        pool::dispose);
  }

  @Override
  public Optional<Entry> entry(SubjectKey lookup, boolean create) {
    try (Connection c = dataSource.getConnection()) {
      if (isErased(c, lookup)) {
        return Optional.empty();
      }
      Optional<Entry> found = find(c, lookup);
      if (found.isPresent() || !create) {
        return found;
      }
      byte[] pseudonym = new byte[32];
      random.nextBytes(pseudonym);
      Entry fresh = new Entry(new SubjectKey(random.nextLong(), random.nextLong()),
          Base64.getUrlEncoder().withoutPadding().encodeToString(pseudonym));
      try (PreparedStatement s = c.prepareStatement("INSERT INTO privseg_subject_directory "
          + "(lookup_high, lookup_low, ledger_high, ledger_low, pseudonym) VALUES (?, ?, ?, ?, ?)")) {
        s.setLong(1, lookup.high());
        s.setLong(2, lookup.low());
        s.setLong(3, fresh.ledgerKey().high());
        s.setLong(4, fresh.ledgerKey().low());
        s.setString(5, fresh.pseudonym());
        s.executeUpdate();
        return Optional.of(fresh);
      } catch (SQLException e) {
        if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
          return find(c, lookup); // another caller created it first
        }
        throw e;
      }
    } catch (SQLException e) {
      throw failure("reading or creating a directory entry", e);
    }
  }

  private static Optional<Entry> find(Connection c, SubjectKey lookup) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT ledger_high, ledger_low, pseudonym "
        + "FROM privseg_subject_directory WHERE lookup_high = ? AND lookup_low = ?")) {
      s.setLong(1, lookup.high());
      s.setLong(2, lookup.low());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new Entry(new SubjectKey(rs.getLong(1), rs.getLong(2)),
            rs.getString(3))) : Optional.empty();
      }
    }
  }

  private static boolean isErased(Connection c, SubjectKey lookup) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM privseg_erased_subject "
        + "WHERE lookup_high = ? AND lookup_low = ?")) {
      s.setLong(1, lookup.high());
      s.setLong(2, lookup.low());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  @Override
  public boolean erase(SubjectKey lookup) {
    try (Connection c = dataSource.getConnection()) {
      return Migrations.inTransaction(c, tx -> {
        int deleted;
        try (PreparedStatement s = tx.prepareStatement("DELETE FROM privseg_subject_directory "
            + "WHERE lookup_high = ? AND lookup_low = ?")) {
          s.setLong(1, lookup.high());
          s.setLong(2, lookup.low());
          deleted = s.executeUpdate();
        }
        if (!isErased(tx, lookup)) {
          try (PreparedStatement s = tx.prepareStatement("INSERT INTO privseg_erased_subject "
              + "(lookup_high, lookup_low, erased_at) VALUES (?, ?, ?)")) {
            s.setLong(1, lookup.high());
            s.setLong(2, lookup.low());
            s.setLong(3, System.currentTimeMillis());
            s.executeUpdate();
          }
        }
        return deleted > 0;
      });
    } catch (SQLException e) {
      throw failure("erasing a directory entry", e);
    }
  }

  @Override
  public boolean isErased(SubjectKey lookup) {
    try (Connection c = dataSource.getConnection()) {
      return isErased(c, lookup);
    } catch (SQLException e) {
      throw failure("reading a tombstone", e);
    }
  }

  @Override
  public void forEach(BiConsumer<SubjectKey, Entry> visitor) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT lookup_high, lookup_low, ledger_high, "
            + "ledger_low, pseudonym FROM privseg_subject_directory");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        visitor.accept(new SubjectKey(rs.getLong(1), rs.getLong(2)),
            new Entry(new SubjectKey(rs.getLong(3), rs.getLong(4)), rs.getString(5)));
      }
    } catch (SQLException e) {
      throw failure("scanning the directory", e);
    }
  }

  @Override
  public void forEachErased(Consumer<SubjectKey> visitor) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(
            "SELECT lookup_high, lookup_low FROM privseg_erased_subject");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        visitor.accept(new SubjectKey(rs.getLong(1), rs.getLong(2)));
      }
    } catch (SQLException e) {
      throw failure("scanning the tombstones", e);
    }
  }

  private ConsentException failure(String what, SQLException e) {
    return new ConsentException(what + " in " + description + " failed: "
        + e.getClass().getSimpleName() + " (SQLState " + e.getSQLState() + ")", e);
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public void close() {
    onClose.run();
  }

  @Override
  public String toString() {
    return "JdbcSubjectDirectory[" + description + "]";
  }
}
