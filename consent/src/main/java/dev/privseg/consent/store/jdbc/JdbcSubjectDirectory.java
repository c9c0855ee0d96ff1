package dev.privseg.consent.store.jdbc;

import dev.privseg.consent.directory.SubjectDirectory;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.core.Checks;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * A {@link SubjectDirectory} in the same database as the {@link JdbcLedgerStore} (H2 or
 * PostgreSQL), migrated with the same Flyway scripts. Creating an entry is atomic across
 * processes: a concurrent insert of the same subject loses on the primary key and reads the
 * winner's row. {@link #entries} works through a list in chunks: per chunk one query for the
 * tombstones, one for the entries, and one batched insert of the missing ones in a transaction;
 * if another process created some of them first, the insert is rolled back and the chunk's
 * missing entries are read or created one by one, as {@link #entry} does. A list of at least
 * 65,536 subjects and a quarter of the directory (an import of a whole consent history) is
 * answered from one sequential scan instead, and the missing entries are created in key order,
 * 10,000 to a transaction.
 * Erasure deletes the row and writes the tombstone in one transaction. Thread-safe.
 */
public final class JdbcSubjectDirectory implements SubjectDirectory {
  private static final String UNIQUE_VIOLATION = "23505";
  /** Lists at least this long may be answered by one scan of the directory (see entries). */
  static final int SCAN_AT_LEAST = 65_536;
  /** Lookup keys per query of {@link #entries}; shorter chunks repeat their last key. */
  private static final int CHUNK = 500;
  /**
   * Entries created per transaction after a scan. Fewer, larger commits in key order, with no
   * queries, cut a CLI import of 100,000 subjects into H2 by about an eighth and of 1,000,000
   * into PostgreSQL by about a quarter.
   */
  private static final int BULK = 10_000;
  private static final Comparator<SubjectKey> KEY_ORDER =
      Comparator.comparingLong(SubjectKey::high).thenComparingLong(SubjectKey::low);
  private static final String IN_CHUNK = "lookup_high IN ("
      + String.join(", ", Collections.nCopies(CHUNK, "?")) + ")";
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
    return Migrations.open(dataSource, description, JdbcSubjectDirectory::attach);
  }

  /** The directory on a database whose schema is already current; runs no DDL. */
  static JdbcSubjectDirectory attach(DataSource dataSource, String description) {
    return new JdbcSubjectDirectory(dataSource, description, () -> {});
  }

  /** Opens the directory in the embedded H2 database of {@code JdbcLedgerStore.h2(directory)}. */
  public static JdbcSubjectDirectory h2(java.nio.file.Path directory) {
    H2Store.Pool pool = H2Store.open(directory, false);
    Migrations.migrate(pool.dataSource(), "H2 directory in " + directory.getFileName());
    return new JdbcSubjectDirectory(pool.dataSource(), "H2 directory in "
        + directory.getFileName(), pool.dispose());
  }

  @Override
  public Optional<Entry> entry(SubjectKey lookup, boolean create) {
    try (Connection c = dataSource.getConnection()) {
      return entry(c, lookup, create);
    } catch (SQLException e) {
      throw Migrations.failure("reading or creating a directory entry", description, e);
    }
  }

  private Optional<Entry> entry(Connection c, SubjectKey lookup, boolean create)
      throws SQLException {
    if (isErased(c, lookup)) {
      return Optional.empty();
    }
    Optional<Entry> found = find(c, lookup);
    if (found.isPresent() || !create) {
      return found;
    }
    Entry fresh = Entry.random(random);
    try {
      insert(c, Map.of(lookup, fresh));
      return Optional.of(fresh);
    } catch (SQLException e) {
      if (isUniqueViolation(e)) {
        return find(c, lookup); // another caller created it first
      }
      throw e;
    }
  }

  @Override
  public List<Optional<Entry>> entries(List<SubjectKey> lookups, boolean create) {
    Checks.notNull(lookups, "lookups");
    if (lookups.size() >= SCAN_AT_LEAST && (long) lookups.size() * 4 >= size()) {
      return entriesByScan(lookups, create);
    }
    return entriesInChunks(lookups, create);
  }

  private List<Optional<Entry>> entriesInChunks(List<SubjectKey> lookups, boolean create) {
    List<Optional<Entry>> out = new ArrayList<>(lookups.size());
    try (Connection c = dataSource.getConnection()) {
      for (int from = 0; from < lookups.size(); from += CHUNK) {
        List<SubjectKey> chunk = lookups.subList(from, Math.min(lookups.size(), from + CHUNK));
        Map<SubjectKey, Optional<Entry>> found = entriesOfChunk(c, chunk, create);
        for (SubjectKey lookup : chunk) {
          out.add(found.get(lookup));
        }
      }
    } catch (SQLException e) {
      throw Migrations.failure("reading or creating directory entries", description, e);
    }
    return out;
  }

  /**
   * A long list against a directory at most four times as large (an import of a whole consent
   * history): one sequential scan of entries and tombstones, keeping those asked for, then
   * {@link #created} for the entries still missing. Scattered lookups of most of the directory,
   * 500 at a time, cost more than reading it in order.
   */
  private List<Optional<Entry>> entriesByScan(List<SubjectKey> lookups, boolean create) {
    Set<SubjectKey> wanted = new HashSet<>(lookups);
    Map<SubjectKey, Entry> found = new HashMap<>();
    Set<SubjectKey> erased = new HashSet<>();
    forEach((lookup, entry) -> {
      if (wanted.contains(lookup)) {
        found.put(lookup, entry);
      }
    });
    forEachErased(lookup -> {
      if (wanted.contains(lookup)) {
        erased.add(lookup);
      }
    });
    List<SubjectKey> missing = new ArrayList<>();
    for (SubjectKey k : wanted) {
      if (!found.containsKey(k) && !erased.contains(k)) {
        missing.add(k);
      }
    }
    if (create && !missing.isEmpty()) {
      created(missing).forEach((k, e) -> e.ifPresentOrElse(x -> found.put(k, x),
          () -> erased.add(k)));
    }
    List<Optional<Entry>> out = new ArrayList<>(lookups.size());
    for (SubjectKey k : lookups) {
      out.add(erased.contains(k) ? Optional.empty() : Optional.ofNullable(found.get(k)));
    }
    return out;
  }

  /**
   * Entries for {@code missing}, keys a scan has just found neither in the directory nor erased:
   * created in key order, {@link #BULK} to a transaction, without the chunked path's queries. A
   * bulk that another process got to first (a duplicate rolls it back) is read or created by the
   * chunked path. A key erased by another process since the scan gets no entry: the tombstones
   * are read again after the inserts, and a row created for such a key is deleted, as its
   * erasure would have deleted it.
   */
  Map<SubjectKey, Optional<Entry>> created(List<SubjectKey> missing) {
    List<SubjectKey> sorted = new ArrayList<>(missing);
    sorted.sort(KEY_ORDER);
    Map<SubjectKey, Optional<Entry>> out = new HashMap<>();
    try (Connection c = dataSource.getConnection()) {
      for (int from = 0; from < sorted.size(); from += BULK) {
        List<SubjectKey> bulk = sorted.subList(from, Math.min(sorted.size(), from + BULK));
        Map<SubjectKey, Entry> fresh = new TreeMap<>(KEY_ORDER);
        bulk.forEach(k -> fresh.computeIfAbsent(k, x -> Entry.random(random)));
        insertOr(c, fresh, out, () -> {
          for (int at = 0; at < bulk.size(); at += CHUNK) {
            out.putAll(entriesOfChunk(c, bulk.subList(at, Math.min(bulk.size(), at + CHUNK)),
                true));
          }
        });
      }
      List<SubjectKey> erasedSince = new ArrayList<>();
      forEachErased(k -> {
        if (out.containsKey(k)) {
          erasedSince.add(k);
        }
      });
      if (!erasedSince.isEmpty()) {
        delete(c, erasedSince);
        erasedSince.forEach(k -> out.put(k, Optional.empty()));
      }
    } catch (SQLException e) {
      throw Migrations.failure("creating directory entries", description, e);
    }
    return out;
  }

  private static void delete(Connection c, List<SubjectKey> lookups) throws SQLException {
    Migrations.inTransaction(c, tx -> {
      try (PreparedStatement s = tx.prepareStatement("DELETE FROM privseg_subject_directory "
          + "WHERE lookup_high = ? AND lookup_low = ?")) {
        for (SubjectKey k : lookups) {
          s.setLong(1, k.high());
          s.setLong(2, k.low());
          s.addBatch();
        }
        s.executeBatch();
      }
      return null;
    });
  }

  private Map<SubjectKey, Optional<Entry>> entriesOfChunk(Connection c, List<SubjectKey> chunk,
      boolean create) throws SQLException {
    Set<SubjectKey> erased = new HashSet<>();
    Map<SubjectKey, Entry> found = new HashMap<>();
    Set<SubjectKey> wanted = new HashSet<>(chunk);
    query(c, "SELECT lookup_high, lookup_low FROM privseg_erased_subject WHERE " + IN_CHUNK,
        chunk, rs -> {
          SubjectKey k = new SubjectKey(rs.getLong(1), rs.getLong(2));
          if (wanted.contains(k)) {
            erased.add(k);
          }
        });
    query(c, "SELECT lookup_high, lookup_low, ledger_high, ledger_low, pseudonym "
        + "FROM privseg_subject_directory WHERE " + IN_CHUNK, chunk, rs -> {
          SubjectKey k = new SubjectKey(rs.getLong(1), rs.getLong(2));
          if (wanted.contains(k)) {
            found.put(k, new Entry(new SubjectKey(rs.getLong(3), rs.getLong(4)),
                rs.getString(5)));
          }
        });
    Map<SubjectKey, Optional<Entry>> out = new HashMap<>();
    // Sorted, so that concurrent creators of overlapping chunks lock rows in the same order:
    // the later one waits for the earlier to commit and then fails on a duplicate, where
    // opposite orders would deadlock.
    Map<SubjectKey, Entry> fresh = new TreeMap<>(KEY_ORDER);
    for (SubjectKey k : chunk) {
      if (erased.contains(k)) {
        out.put(k, Optional.empty());
      } else if (found.containsKey(k)) {
        out.put(k, Optional.of(found.get(k)));
      } else if (create) {
        fresh.computeIfAbsent(k, x -> Entry.random(random));
      } else {
        out.put(k, Optional.empty());
      }
    }
    if (!fresh.isEmpty()) {
      insertOr(c, fresh, out, () -> {
        for (SubjectKey k : fresh.keySet()) {
          out.put(k, entry(c, k, true)); // one by one, as the other process did
        }
      });
    }
    return out;
  }

  /** What to do instead when another process created some of a batch's entries first. */
  @FunctionalInterface
  private interface Fallback {
    void run() throws SQLException;
  }

  /**
   * Inserts {@code fresh} in one transaction and records the entries in {@code out}; if another
   * process created some of them first, the insert is rolled back and {@code fallback} runs.
   */
  private static void insertOr(Connection c, Map<SubjectKey, Entry> fresh,
      Map<SubjectKey, Optional<Entry>> out, Fallback fallback) throws SQLException {
    try {
      insert(c, fresh);
      fresh.forEach((k, e) -> out.put(k, Optional.of(e)));
    } catch (SQLException e) {
      if (!isUniqueViolation(e)) {
        throw e;
      }
      fallback.run();
    }
  }

  /** Runs a query over {@link #IN_CHUNK}'s parameters, bound to the high words of {@code keys}. */
  private static void query(Connection c, String sql, List<SubjectKey> keys,
      Migrations.RowVisitor visitor)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < CHUNK; i++) {
        s.setLong(i + 1, keys.get(Math.min(i, keys.size() - 1)).high());
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          visitor.visit(rs);
        }
      }
    }
  }

  private static void insert(Connection c, Map<SubjectKey, Entry> fresh) throws SQLException {
    Migrations.inTransaction(c, tx -> {
      try (PreparedStatement s = tx.prepareStatement("INSERT INTO privseg_subject_directory "
          + "(lookup_high, lookup_low, ledger_high, ledger_low, pseudonym) "
          + "VALUES (?, ?, ?, ?, ?)")) {
        for (Map.Entry<SubjectKey, Entry> e : fresh.entrySet()) {
          s.setLong(1, e.getKey().high());
          s.setLong(2, e.getKey().low());
          s.setLong(3, e.getValue().ledgerKey().high());
          s.setLong(4, e.getValue().ledgerKey().low());
          s.setString(5, e.getValue().pseudonym());
          s.addBatch();
        }
        s.executeBatch();
      }
      return null;
    });
  }

  /** Whether {@code e}, or an exception chained to it (as a batch reports), is a duplicate key. */
  private static boolean isUniqueViolation(SQLException e) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      if (UNIQUE_VIOLATION.equals(x.getSQLState())) {
        return true;
      }
      if (x.getCause() instanceof SQLException cause
          && UNIQUE_VIOLATION.equals(cause.getSQLState())) {
        return true;
      }
    }
    return false;
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
        // Serialized with membership registration (JdbcMembershipRegistry#register).
        ErasureLock.lockAndStamp(tx, System.currentTimeMillis());
        int deleted;
        try (PreparedStatement s = tx.prepareStatement("DELETE FROM privseg_subject_directory "
            + "WHERE lookup_high = ? AND lookup_low = ?")) {
          s.setLong(1, lookup.high());
          s.setLong(2, lookup.low());
          deleted = s.executeUpdate();
        }
        if (!isErased(tx, lookup)) {
          // The lookup key only: a time would join the tombstone to the erasure event.
          try (PreparedStatement s = tx.prepareStatement("INSERT INTO privseg_erased_subject "
              + "(lookup_high, lookup_low) VALUES (?, ?)")) {
            s.setLong(1, lookup.high());
            s.setLong(2, lookup.low());
            s.executeUpdate();
          }
        }
        return deleted > 0;
      });
    } catch (SQLException e) {
      throw Migrations.failure("erasing a directory entry", description, e);
    }
  }

  @Override
  public boolean isErased(SubjectKey lookup) {
    try (Connection c = dataSource.getConnection()) {
      return isErased(c, lookup);
    } catch (SQLException e) {
      throw Migrations.failure("reading a tombstone", description, e);
    }
  }

  @Override
  public long size() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(
            "SELECT COUNT(*) FROM privseg_subject_directory");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw Migrations.failure("counting the directory", description, e);
    }
  }

  @Override
  public void forEach(BiConsumer<SubjectKey, Entry> visitor) {
    try {
      Migrations.stream(dataSource, "SELECT lookup_high, lookup_low, ledger_high, ledger_low, "
          + "pseudonym "
          + "FROM privseg_subject_directory", rs -> visitor.accept(
              new SubjectKey(rs.getLong(1), rs.getLong(2)),
              new Entry(new SubjectKey(rs.getLong(3), rs.getLong(4)), rs.getString(5))));
    } catch (SQLException e) {
      throw Migrations.failure("scanning the directory", description, e);
    }
  }

  @Override
  public void forEachLedgerKey(KeyVisitor visitor) {
    try {
      Migrations.stream(dataSource, "SELECT lookup_high, lookup_low, ledger_high, ledger_low "
          + "FROM privseg_subject_directory", rs -> visitor.visit(rs.getLong(1), rs.getLong(2),
              rs.getLong(3), rs.getLong(4)));
    } catch (SQLException e) {
      throw Migrations.failure("scanning the directory", description, e);
    }
  }

  @Override
  public void forEachErased(Consumer<SubjectKey> visitor) {
    try {
      Migrations.stream(dataSource, "SELECT lookup_high, lookup_low FROM privseg_erased_subject",
          rs -> visitor.accept(new SubjectKey(rs.getLong(1), rs.getLong(2))));
    } catch (SQLException e) {
      throw Migrations.failure("scanning the tombstones", description, e);
    }
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
