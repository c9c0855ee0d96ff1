package dev.privseg.consent.store.jdbc;

import dev.privseg.consent.ConsentException;
import dev.privseg.consent.ledger.ConsentEvent;
import dev.privseg.consent.ledger.EventChain;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.consent.store.LedgerStore;
import dev.privseg.core.Checks;
import dev.privseg.core.PurposeId;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVPrinter;

/**
 * A ledger store in a relational database: H2 (embedded, the default) or PostgreSQL. The schema
 * ships in the jar and is migrated with Flyway when the store opens (history table
 * {@code privseg_consent_schema_history}). Each append is one transaction that locks the ledger's
 * head row, inserts the batch and moves the head: a crash leaves all of a batch or none, and
 * concurrent appenders, in this process or others, keep one chain.
 *
 * <p>Pass a pooled {@link DataSource} in production: each operation borrows one connection. On
 * PostgreSQL a batch goes through the COPY protocol (when the connection unwraps to the driver's
 * {@code PGConnection}); elsewhere as a JDBC batch. Thread-safe.
 */
public final class JdbcLedgerStore implements LedgerStore {
  private static final String COLUMNS = "seq, subject_high, subject_low, purpose, event_type, "
      + "occurred_at, recorded_at, source, notice_version, actor, proof_reference, "
      + "previous_hash, hash";

  private final DataSource dataSource;
  private final String description;
  private final Runnable onClose;

  private JdbcLedgerStore(DataSource dataSource, String description, Runnable onClose) {
    this.dataSource = dataSource;
    this.description = description;
    this.onClose = onClose;
  }

  /**
   * Opens the store on {@code dataSource}, creating or upgrading its tables. {@code description}
   * names the database for records and messages; it must not contain credentials. An embedded H2
   * database is kept open (one connection held) until the store is closed.
   */
  public static JdbcLedgerStore open(DataSource dataSource, String description) {
    return open(dataSource, description, () -> {});
  }

  /** The store on a database whose schema is already current; runs no DDL. */
  static JdbcLedgerStore attach(DataSource dataSource, String description) {
    return new JdbcLedgerStore(dataSource, description, () -> {});
  }

  private static JdbcLedgerStore open(DataSource dataSource, String description,
      Runnable onClose) {
    Checks.notNull(dataSource, "dataSource");
    Checks.notBlank(description, "description");
    Runnable release = EmbeddedH2Hold.holdWhile(dataSource, description,
        () -> Migrations.migrate(dataSource, description));
    return new JdbcLedgerStore(dataSource, description, () -> {
      release.run();
      onClose.run();
    });
  }

  /**
   * Opens (or creates) an embedded H2 ledger in {@code directory}, file
   * {@code consent-ledger.mv.db}. Needs {@code com.h2database:h2} on the class path. Every commit
   * is written before {@code append} returns ({@code WRITE_DELAY=0}): H2's default delay lost
   * committed batches when the process was killed. The file is locked by the OS for this process
   * ({@code FILE_LOCK=FS}), so a killed process leaves no stale lock.
   */
  public static JdbcLedgerStore h2(Path directory) {
    H2Store.Pool pool = H2Store.open(directory, false);
    return open(pool.dataSource(), "H2 ledger in " + directory.getFileName(), pool.dispose());
  }

  @Override
  public List<ConsentEvent> append(List<EventDraft> drafts, Instant recordedAt) {
    Checks.notNull(drafts, "drafts");
    Checks.notNull(recordedAt, "recordedAt");
    drafts.forEach(d -> Checks.notNull(d, "draft"));
    if (drafts.isEmpty()) {
      return List.of();
    }
    try (Connection c = dataSource.getConnection()) {
      return Migrations.inTransaction(c, tx -> appendLocked(tx, drafts, recordedAt));
    } catch (SQLException e) {
      throw new ConsentException("append of " + drafts.size() + " events to " + description
          + " failed and was rolled back: " + e.getClass().getSimpleName()
          + " (SQLState " + e.getSQLState() + ")", e);
    }
  }

  private List<ConsentEvent> appendLocked(Connection c, List<EventDraft> drafts,
      Instant recordedAt) throws SQLException {
    long sequence;
    String previous;
    try (PreparedStatement head = c.prepareStatement(
        "SELECT last_seq, last_hash FROM privseg_consent_head WHERE id = 1 FOR UPDATE");
        ResultSet rs = head.executeQuery()) {
      if (!rs.next()) {
        throw new ConsentException("ledger head row is missing in " + description);
      }
      sequence = rs.getLong(1);
      previous = rs.getString(2);
    }
    List<ConsentEvent> appended = new ArrayList<>(drafts.size());
    for (EventDraft draft : drafts) {
      ConsentEvent e = EventChain.link(draft, ++sequence, recordedAt, previous);
      previous = e.hash();
      appended.add(e);
    }
    if (Postgres.available(c)) {
      // At a million events, batched multi-row inserts managed about 24,000 events/s here.
      Postgres.copy(c, "privseg_consent_event", COLUMNS, new Postgres.Rows() {
        @Override
        public int size() {
          return appended.size();
        }

        @Override
        public void write(int i, CSVPrinter out) throws IOException {
          for (Object value : row(appended.get(i))) {
            out.print(value);
          }
          out.println();
        }
      });
    } else {
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO privseg_consent_event ("
          + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (ConsentEvent e : appended) {
          bind(insert, e);
          insert.addBatch();
        }
        insert.executeBatch();
      }
    }
    try (PreparedStatement move = c.prepareStatement(
        "UPDATE privseg_consent_head SET last_seq = ?, last_hash = ? WHERE id = 1")) {
      move.setLong(1, sequence);
      move.setString(2, previous);
      move.executeUpdate();
    }
    return List.copyOf(appended);
  }

  private static void bind(PreparedStatement s, ConsentEvent e) throws SQLException {
    Object[] values = row(e);
    for (int i = 0; i < values.length; i++) {
      s.setObject(i + 1, values[i]);
    }
  }

  /** The values of {@code e}'s row, in the order of {@link #COLUMNS}. */
  private static Object[] row(ConsentEvent e) {
    return new Object[] {e.sequence(), e.subject().high(), e.subject().low(),
        e.purpose().value(), e.type().name(), e.occurredAt().toEpochMilli(),
        e.recordedAt().toEpochMilli(), e.source().name(), e.noticeVersion(), e.actor(),
        e.proofReference(), e.previousHash(), e.hash()};
  }

  private static ConsentEvent read(ResultSet rs) throws SQLException {
    return new ConsentEvent(rs.getLong(1), new SubjectKey(rs.getLong(2), rs.getLong(3)),
        PurposeId.of(rs.getString(4)), EventType.valueOf(rs.getString(5)),
        Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7)),
        EventSource.valueOf(rs.getString(8)), rs.getString(9), rs.getString(10),
        rs.getString(11), rs.getString(12), rs.getString(13));
  }

  /**
   * An all-purposes event counts unless it is a consent: consent is specific to a purpose, and a
   * blanket consent written before {@link EventDraft} refused it grants nothing.
   */
  private static final String NOT_A_CONSENT = "event_type NOT IN ("
      + java.util.Arrays.stream(EventType.values()).filter(EventType::givesConsent)
          .map(t -> "'" + t.name() + "'").collect(java.util.stream.Collectors.joining(", "))
      + ")";

  @Override
  public List<ConsentEvent> history(SubjectKey subject, PurposeId purpose, Instant upTo) {
    return query("SELECT " + COLUMNS + " FROM privseg_consent_event WHERE subject_high = ? "
        + "AND subject_low = ? AND occurred_at <= ? AND (purpose = ? OR purpose = ? AND "
        + NOT_A_CONSENT + ") ORDER BY occurred_at, seq", s -> {
          s.setLong(1, subject.high());
          s.setLong(2, subject.low());
          s.setLong(3, upTo.toEpochMilli());
          s.setString(4, purpose.value());
          s.setString(5, ConsentEvent.ALL_PURPOSES.value());
        });
  }

  @Override
  public List<ConsentEvent> history(SubjectKey subject) {
    return query("SELECT " + COLUMNS + " FROM privseg_consent_event WHERE subject_high = ? "
        + "AND subject_low = ? ORDER BY occurred_at, seq", s -> {
          s.setLong(1, subject.high());
          s.setLong(2, subject.low());
        });
  }

  private List<ConsentEvent> query(String sql, Migrations.Binder binder) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      binder.bind(s);
      List<ConsentEvent> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw Migrations.failure("reading the ledger", description, e);
    }
  }

  @Override
  public void scan(Consumer<ConsentEvent> visitor) {
    try {
      Migrations.stream(dataSource, "SELECT " + COLUMNS
          + " FROM privseg_consent_event ORDER BY seq", rs -> visitor.accept(read(rs)));
    } catch (SQLException e) {
      throw Migrations.failure("scanning the ledger", description, e);
    }
  }

  /** Reads only the rows from {@code from} on, by the primary key. */
  @Override
  public void scanFrom(long from, Consumer<ConsentEvent> visitor) {
    try {
      Migrations.stream(dataSource, "SELECT " + COLUMNS + " FROM privseg_consent_event "
          + "WHERE seq >= ? ORDER BY seq", s -> s.setLong(1, from), rs -> visitor.accept(read(rs)));
    } catch (SQLException e) {
      throw Migrations.failure("scanning the ledger", description, e);
    }
  }

  /** Reads only the rows of the purpose up to the instant, and only the five columns needed. */
  @Override
  public void scanEffects(PurposeId purpose, Instant upTo, EffectVisitor visitor) {
    try {
      Migrations.stream(dataSource, "SELECT subject_high, subject_low, event_type, occurred_at, "
          + "notice_version FROM privseg_consent_event WHERE (purpose = ? OR purpose = ? AND "
          + NOT_A_CONSENT + ") AND occurred_at <= ? ORDER BY seq", s -> {
            s.setString(1, purpose.value());
            s.setString(2, ConsentEvent.ALL_PURPOSES.value());
            s.setLong(3, upTo.toEpochMilli());
          }, rs -> visitor.visit(rs.getLong(1), rs.getLong(2), EventType.valueOf(rs.getString(3)),
              rs.getLong(4), rs.getString(5)));
    } catch (SQLException e) {
      throw Migrations.failure("scanning the ledger", description, e);
    }
  }

  @Override
  public String adoptSubjectKeyScheme(String scheme) {
    // No scheme recorded: a database that already holds subjects predates schemes (v1).
    return adoptSetting("subject_key_scheme", scheme, "privseg-ledger-v1",
        "the subject key scheme");
  }

  @Override
  public String adoptKeyCheckValue(String checkValue) {
    return adoptSetting("key_check_value", checkValue, checkValue, "the key check value");
  }

  /**
   * Records {@code value} as setting {@code name} unless one is recorded, and returns the one
   * in force; a database that already holds subjects without the setting gets {@code legacy}.
   * Of processes recording at the same moment, one wins and all read its value.
   */
  private String adoptSetting(String name, String value, String legacy, String what) {
    try (Connection c = dataSource.getConnection()) {
      return Migrations.inTransaction(c, tx -> {
        java.util.Optional<String> held = setting(tx, name);
        if (held.isPresent()) {
          return held.get();
        }
        String adopted = holdsSubjects(tx) ? legacy : value;
        try (PreparedStatement s = tx.prepareStatement(
            "INSERT INTO privseg_setting (name, setting) VALUES (?, ?)")) {
          s.setString(1, name);
          s.setString(2, adopted);
          s.executeUpdate();
        }
        return adopted;
      });
    } catch (SQLException e) {
      // Another process recorded the setting at the same moment: read the one that won.
      try (Connection c = dataSource.getConnection()) {
        java.util.Optional<String> held = setting(c, name);
        if (held.isPresent()) {
          return held.get();
        }
      } catch (SQLException again) {
        e.addSuppressed(again);
      }
      throw new ConsentException("recording " + what + " in " + description + " failed: "
          + e.getClass().getSimpleName(), e);
    }
  }

  private static java.util.Optional<String> setting(Connection c, String name)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT setting FROM privseg_setting WHERE name = ?")) {
      s.setString(1, name);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? java.util.Optional.of(rs.getString(1)) : java.util.Optional.empty();
      }
    }
  }

  private static boolean holdsSubjects(Connection c) throws SQLException {
    for (String table : new String[] {"privseg_consent_event", "privseg_subject_directory",
        "privseg_erased_subject"}) {
      try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM " + table
          + " FETCH FIRST 1 ROWS ONLY");
          ResultSet rs = s.executeQuery()) {
        if (rs.next()) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public List<PurposeId> purposes() {
    List<PurposeId> held = new java.util.ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(
            "SELECT DISTINCT purpose FROM privseg_consent_event ORDER BY purpose");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        held.add(PurposeId.of(rs.getString(1)));
      }
      return held;
    } catch (SQLException e) {
      throw Migrations.failure("listing the ledger's purposes", description, e);
    }
  }

  @Override
  public long size() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(
            "SELECT last_seq FROM privseg_consent_head WHERE id = 1");
        ResultSet rs = s.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    } catch (SQLException e) {
      throw new ConsentException("reading the ledger size in " + description + " failed: "
          + e.getClass().getSimpleName(), e);
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
    return "JdbcLedgerStore[" + description + "]";
  }
}
