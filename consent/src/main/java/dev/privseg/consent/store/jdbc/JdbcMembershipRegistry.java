package dev.privseg.consent.store.jdbc;

import dev.privseg.consent.ConsentException;
import dev.privseg.consent.directory.DirectoryPseudonymizer;
import dev.privseg.consent.rights.MembershipRegistry;
import dev.privseg.consent.rights.RegisteredRun;
import dev.privseg.consent.rights.SegmentMembership;
import dev.privseg.core.Checks;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.release.Assignments;
import dev.privseg.core.report.ProcessingRecord;
import dev.privseg.core.segment.SegmentModel;
import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVPrinter;

/**
 * A {@link MembershipRegistry} in the consent database (schema V7 to V9): the run's purpose,
 * algorithm, logic, registration time and numeric key once, and per member only the run's key,
 * its pseudonym and the segment, keyed by the run first. A run is registered in one transaction,
 * so it is there whole or not at all: on PostgreSQL through its COPY protocol, elsewhere in
 * batched inserts. Its members fill one range of the key, however many runs are held, and
 * forgetting it deletes that range. A subject's memberships are looked up run by run (one key
 * lookup per run held). A run whose memberships other processes write (Spark's executors) is
 * staged first and registered from the staging in one transaction ({@link #stage},
 * {@link #complete}). Thread-safe.
 */
public final class JdbcMembershipRegistry implements MembershipRegistry {
  /** Rows per JDBC batch. */
  private static final int BATCH = 5_000;
  /** Low bits of a sort key that hold the index; above them, a pseudonym's first characters. */
  private static final int INDEX_BITS = 24;
  private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;
  private final DataSource dataSource;
  private final String description;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  private JdbcMembershipRegistry(DataSource dataSource, String description, Clock clock) {
    this.dataSource = dataSource;
    this.description = description;
    this.clock = clock;
  }

  /**
   * Opens the registry on {@code dataSource}, migrating the schema if needed; registrations are
   * stamped with the UTC clock.
   */
  public static JdbcMembershipRegistry open(DataSource dataSource, String description) {
    return open(dataSource, description, Clock.systemUTC());
  }

  /** As {@link #open(DataSource, String)}, stamping registrations with {@code clock}. */
  public static JdbcMembershipRegistry open(DataSource dataSource, String description,
      Clock clock) {
    Checks.notNull(dataSource, "dataSource");
    Checks.notBlank(description, "description");
    Checks.notNull(clock, "clock");
    Migrations.migrate(dataSource, description);
    return new JdbcMembershipRegistry(dataSource, description, clock);
  }

  /** The registry on a database whose schema is already current; runs no DDL. */
  static JdbcMembershipRegistry attach(DataSource dataSource, String description) {
    return new JdbcMembershipRegistry(dataSource, description, Clock.systemUTC());
  }

  @Override
  public void register(SegmentationRun run, String logic) {
    Checks.notNull(run, "run");
    Checks.notBlank(logic, "logic");
    Assignments a = run.assignments();
    String runId = run.report().runId();
    // A random key, so that concurrent registrations need no coordination; the unique index
    // turns the negligible chance of a repeat (n^2 / 2^64 for n runs) into an error, never a mix.
    long runKey = random.nextLong() & Long.MAX_VALUE;
    try (Connection c = dataSource.getConnection()) {
      Migrations.inTransaction(c, tx -> {
        // Serialized with erasure (JdbcSubjectDirectory#erase): an erasure that committed first
        // is seen here; one that comes after waits, then forgets what this registered.
        int[] order = registered(tx, run, inPseudonymOrder(a));
        insertRun(tx, run.report(), run.model().orElse(null), logic, runKey);
        // In key order (the run, then pseudonyms), so B-tree pages are filled in turn, not at
        // random: H2 inserted 100,000 rows 3x faster sorted than in assignment order.
        if (Postgres.available(tx)) {
          Postgres.copy(tx, "privseg_run_membership", "run_key, pseudonym, segment",
              new Postgres.Rows() {
                @Override
                public int size() {
                  return order.length;
                }

                @Override
                public void write(int i, CSVPrinter out) throws IOException {
                  out.print(runKey);
                  out.print(a.pseudonym(order[i]));
                  out.print(a.segment(order[i]));
                  out.println();
                }
              });
          countRegistered(tx, runKey, order.length);
          return null;
        }
        try (PreparedStatement s = tx.prepareStatement("INSERT INTO privseg_run_membership "
            + "(run_key, pseudonym, segment) VALUES (?, ?, ?)")) {
          for (int i = 0; i < order.length; i++) {
            s.setLong(1, runKey);
            s.setString(2, a.pseudonym(order[i]));
            s.setInt(3, a.segment(order[i]));
            s.addBatch();
            if (i % BATCH == BATCH - 1) {
              s.executeBatch();
            }
          }
          s.executeBatch();
        }
        countRegistered(tx, runKey, order.length);
        return null;
      });
    } catch (SQLException e) {
      throw Migrations.failure("registering a run", description, e);
    }
  }

  /** Records how many members run {@code runKey} registered. */
  private static void countRegistered(Connection tx, long runKey, long members)
      throws SQLException {
    try (PreparedStatement s = tx.prepareStatement("UPDATE privseg_registered_run SET "
        + "registered_members = ? WHERE run_key = ?")) {
      s.setLong(1, members);
      s.setLong(2, runKey);
      s.executeUpdate();
    }
  }

  private void insertRun(Connection tx, ProcessingRecord report, SegmentModel model,
      String logic, long runKey) throws SQLException {
    String modelJson = model == null ? null : model.toJson();
    if (modelJson != null && modelJson.length() > 1_000_000) {
      throw new ConsentException("run " + report.runId() + "'s segment model takes "
          + modelJson.length() + " characters, more than the 1,000,000 " + description
          + " keeps; nothing was registered");
    }
    try (PreparedStatement s = tx.prepareStatement("INSERT INTO privseg_registered_run "
        + "(run_id, purpose, algorithm, logic, registered_at, run_key, record_digest, "
        + "record_json, model_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, report.runId());
      s.setString(2, report.purpose().id());
      s.setString(3, truncate(report.segmentation().algorithm(), 128));
      s.setString(4, truncate(logic, 1000));
      s.setLong(5, clock.millis());
      s.setLong(6, runKey);
      String json = report.toJson();
      s.setString(7, report.digest());
      s.setString(8, json.length() <= 1_000_000 ? json : null);
      s.setString(9, modelJson);
      s.executeUpdate();
    }
  }

  /**
   * Begins registering the run that made {@code report} from memberships other processes
   * write ({@link MembershipStaging#write}, one part each, as Spark's executors do): nothing is
   * registered until {@link #complete}, which registers each member once however often its part
   * was written. Until then the run is staged, under a key of its own; {@link #abandon} drops
   * it, and a staging never completed nor abandoned is dropped by
   * {@link #forgetRunsRegisteredBefore} with the runs registered before the same cutoff.
   */
  public MembershipStaging stage(ProcessingRecord report, String logic) {
    Checks.notNull(report, "report");
    Checks.notBlank(logic, "logic");
    long runKey = random.nextLong() & Long.MAX_VALUE;
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("INSERT INTO privseg_staged_run "
            + "(run_key, run_id, staged_at) VALUES (?, ?, ?)")) {
      s.setLong(1, runKey);
      s.setString(2, report.runId());
      s.setLong(3, clock.millis());
      s.executeUpdate();
    } catch (SQLException e) {
      throw Migrations.failure("staging a run", description, e);
    }
    return new MembershipStaging(runKey, report, logic);
  }

  /**
   * Registers the staged run, in one transaction: its members as staged, each once (a part
   * written twice counts once), less those erased since the run started (as {@link #register}
   * leaves them out), then deletes the staging. Returns how many memberships were registered.
   *
   * @param members how many members the run has: the staged ones must be exactly these
   * @throws ConsentException naming what went wrong, with nothing registered: another number of
   *     members staged (a part not written, or written to another database), a member staged in
   *     two segments (a run whose outputs changed between attempts), or a subject erased while a
   *     run whose pseudonyms are not the directory's was in progress
   */
  public int complete(MembershipStaging staging, long members) {
    Checks.notNull(staging, "staging");
    Checks.check(staging.report() != null, "complete the staging in the process that began it");
    Checks.check(members >= 0, "members must not be negative");
    ProcessingRecord report = staging.report();
    long runKey = staging.runKey();
    try (Connection c = dataSource.getConnection()) {
      return Migrations.inTransaction(c, tx -> {
        String held = stagedWhere(tx, report);
        long staged = count(tx, "SELECT COUNT(DISTINCT pseudonym) FROM "
            + "privseg_membership_staging WHERE run_key = ?", runKey);
        if (staged != members) {
          throw new ConsentException(String.format(java.util.Locale.ROOT, "run %s has %,d "
              + "members but %,d were staged in %s: a part was not written, or written to "
              + "another database; nothing was registered", report.runId(), members, staged,
              description));
        }
        insertRun(tx, report, null, staging.logic(), runKey);
        int registered;
        try (PreparedStatement s = tx.prepareStatement("INSERT INTO privseg_run_membership "
            + "(run_key, pseudonym, segment) SELECT DISTINCT run_key, pseudonym, segment "
            + "FROM privseg_membership_staging WHERE run_key = ?" + held)) {
          s.setLong(1, runKey);
          registered = s.executeUpdate();
        } catch (SQLException e) {
          if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
            throw new ConsentException("a member of run " + report.runId() + " was staged in "
                + "two segments: its assignments changed between attempts at writing them "
                + "(make the run deterministic); nothing was registered", e);
          }
          throw e;
        }
        dropStaging(tx, runKey);
        countRegistered(tx, runKey, registered);
        return registered;
      });
    } catch (SQLException e) {
      throw Migrations.failure("registering a staged run", description, e);
    }
  }

  /**
   * Deletes what was staged for the run and the staging itself, registering nothing; for a run
   * whose memberships could not all be written. Harmless after {@link #complete}.
   */
  public void abandon(MembershipStaging staging) {
    Checks.notNull(staging, "staging");
    try (Connection c = dataSource.getConnection()) {
      Migrations.inTransaction(c, tx -> {
        dropStaging(tx, staging.runKey());
        return null;
      });
    } catch (SQLException e) {
      throw Migrations.failure("abandoning a staged run", description, e);
    }
  }

  private static void dropStaging(Connection tx, long runKey) throws SQLException {
    for (String table : List.of("privseg_membership_staging", "privseg_staged_run")) {
      try (PreparedStatement s = tx.prepareStatement("DELETE FROM " + table
          + " WHERE run_key = ?")) {
        s.setLong(1, runKey);
        s.executeUpdate();
      }
    }
  }

  private static long count(Connection tx, String sql, long runKey) throws SQLException {
    try (PreparedStatement s = tx.prepareStatement(sql)) {
      s.setLong(1, runKey);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * Locks the erasure row and returns the condition that keeps the staged members to register:
   * none, unless a subject was erased since the run started; then only those whose pseudonym
   * the subject directory still holds. Refuses, as {@link #registered} does, a run whose
   * pseudonyms are not the directory's.
   */
  private String stagedWhere(Connection tx, ProcessingRecord report) throws SQLException {
    return erasedDuring(tx, report)
        ? " AND pseudonym IN (SELECT pseudonym FROM privseg_subject_directory)" : "";
  }

  /**
   * Locks the erasure row and says whether a subject may have been erased since the run that
   * made {@code report} started; if so, refuses a run whose pseudonyms are not the directory's
   * (an erased subject among them could not be left out).
   */
  private boolean erasedDuring(Connection tx, ProcessingRecord report) throws SQLException {
    long lastErasure = ErasureLock.lock(tx);
    long started = Instant.parse(report.startedAt()).toEpochMilli();
    if (lastErasure < started - CLOCK_MARGIN_MILLIS) {
      return false;
    }
    var pseudonymization = report.pseudonymization();
    if (pseudonymization == null
        || !DirectoryPseudonymizer.METHOD.equals(pseudonymization.method())) {
      throw new ConsentException("a subject was erased in " + description + " while run "
          + report.runId() + " was in progress, and its pseudonyms are not the subject "
          + "directory's, so an erased subject among them cannot be left out: its memberships "
          + "are not registered; run it again");
    }
    return true;
  }

  /** Erasure clocks of different hosts may differ by this much. */
  private static final long CLOCK_MARGIN_MILLIS = 10 * 60_000L;

  /**
   * Locks the erasure row and returns the assignments of {@code order} to register: all of them,
   * unless a subject was erased since the run started; then only those whose pseudonym the
   * subject directory still holds (an erased subject's entry is gone). A run whose pseudonyms are
   * not the directory's cannot be checked so, and is refused.
   */
  private int[] registered(Connection tx, SegmentationRun run, int[] order)
      throws SQLException {
    if (!erasedDuring(tx, run.report())) {
      return order;
    }
    Assignments a = run.assignments();
    Map<String, Integer> index = new HashMap<>(a.size() * 2);
    for (int i = 0; i < a.size(); i++) {
      index.put(a.pseudonym(i), i);
    }
    boolean[] held = new boolean[a.size()];
    try (PreparedStatement s = tx.prepareStatement(
        "SELECT pseudonym FROM privseg_subject_directory")) {
      s.setFetchSize(10_000);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          Integer i = index.get(rs.getString(1));
          if (i != null) {
            held[i] = true;
          }
        }
      }
    }
    return Arrays.stream(order).filter(i -> held[i]).toArray();
  }

  /**
   * The assignments' indices in the order of their pseudonyms ({@link String#compareTo}, ties in
   * index order). Sorting a million boxed indices with a comparator took about 2 s; here a
   * primitive sort of the first five characters (with the index in the low bits) orders almost
   * everything, and only runs that share those characters are sorted with the comparator.
   */
  static int[] inPseudonymOrder(Assignments a) {
    int n = a.size();
    if (n >= 1 << INDEX_BITS) {
      Integer[] boxed = new Integer[n];
      Arrays.setAll(boxed, i -> i);
      Arrays.sort(boxed, Comparator.comparing(a::pseudonym));
      return Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
    }
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = prefix(a.pseudonym(i)) << INDEX_BITS | i;
    }
    Arrays.sort(keys);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = (int) (keys[i] & INDEX_MASK);
    }
    for (int from = 0; from < n; ) {
      int to = from + 1;
      while (to < n && keys[to] >>> INDEX_BITS == keys[from] >>> INDEX_BITS) {
        to++;
      }
      if (to - from > 1) {
        Integer[] run = new Integer[to - from];
        for (int i = from; i < to; i++) {
          run[i - from] = order[i];
        }
        Arrays.sort(run, Comparator.comparing(a::pseudonym)); // stable: ties keep index order
        for (int i = from; i < to; i++) {
          order[i] = run[i - from];
        }
      }
      from = to;
    }
    return order;
  }

  /**
   * The first five characters as digits, the first of 7 bits and the others of 8, in 39 bits so
   * that the key stays positive. A character beyond a digit's range counts as its largest value
   * and ends the prefix (the rest are 0, as are missing characters): so a string that compares
   * smaller never has a greater prefix, and sorting by prefix and then by the full string within
   * equal prefixes is {@code compareTo}'s order.
   */
  private static long prefix(String s) {
    long p = 0;
    boolean ended = false;
    for (int i = 0; i < 5; i++) {
      int max = i == 0 ? 127 : 255;
      int digit = 0;
      if (!ended && i < s.length()) {
        digit = Math.min(s.charAt(i), max);
        ended = s.charAt(i) >= max;
      }
      p = p << 8 | digit;
    }
    return p;
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  @Override
  public List<SegmentMembership> memberships(String pseudonym) {
    try (Connection c = dataSource.getConnection()) {
      List<SegmentMembership> out = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("SELECT segment FROM privseg_run_membership "
          + "WHERE run_key = ? AND pseudonym = ?")) {
        s.setString(2, pseudonym);
        for (Run run : runs(c, "1 = 1", x -> { })) {
          s.setLong(1, run.key());
          try (ResultSet rs = s.executeQuery()) {
            if (rs.next()) {
              out.add(new SegmentMembership(run.id(), run.purpose(), run.algorithm(),
                  rs.getInt(1), run.logic()));
            }
          }
        }
      }
      return out;
    } catch (SQLException e) {
      throw Migrations.failure("reading memberships", description, e);
    }
  }

  @Override
  public java.util.Optional<ProcessingRecord> record(String runId) {
    return texts(runId, "record_json, record_digest", "reading a run's record").map(t -> {
      if (!ProcessingRecord.digestOf(t[0]).equals(t[1])) {
        throw new ConsentException("the record of run " + runId + " in " + description
            + " no longer has the digest it was registered with: it was altered");
      }
      return ProcessingRecord.fromJson(t[0]);
    });
  }

  @Override
  public java.util.Optional<SegmentModel> model(String runId) {
    return texts(runId, "model_json", "reading a run's segment model")
        .map(t -> SegmentModel.fromJson(t[0]));
  }

  /**
   * The text {@code columns} of run {@code runId}'s row, if it is registered and the first of
   * them is not null; {@code what} names the read in an error.
   */
  private java.util.Optional<String[]> texts(String runId, String columns, String what) {
    Checks.notBlank(runId, "run id");
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT " + columns + " FROM "
            + "privseg_registered_run WHERE run_id = ?")) {
      s.setString(1, runId);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next() || rs.getString(1) == null) {
          return java.util.Optional.empty();
        }
        String[] texts = new String[rs.getMetaData().getColumnCount()];
        for (int i = 0; i < texts.length; i++) {
          texts[i] = rs.getString(i + 1);
        }
        return java.util.Optional.of(texts);
      }
    } catch (SQLException e) {
      throw Migrations.failure(what, description, e);
    }
  }

  @Override
  public List<RegisteredRun> runs() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT r.run_id, r.purpose, r.algorithm, "
            + "r.logic, r.registered_at, r.registered_members, (SELECT COUNT(*) FROM "
            + "privseg_run_membership m WHERE m.run_key = r.run_key), r.record_digest "
            + "FROM privseg_registered_run r "
            + "ORDER BY r.run_id");
        ResultSet rs = s.executeQuery()) {
      List<RegisteredRun> out = new ArrayList<>();
      while (rs.next()) {
        long at = rs.getLong(5);
        Instant registeredAt = rs.wasNull() ? null : Instant.ofEpochMilli(at);
        long registered = rs.getLong(6);
        java.util.OptionalLong registeredMembers = rs.wasNull() ? java.util.OptionalLong.empty()
            : java.util.OptionalLong.of(registered);
        out.add(new RegisteredRun(rs.getString(1), rs.getString(2), rs.getString(3),
            rs.getString(4), registeredAt, registeredMembers, rs.getLong(7),
            java.util.Optional.ofNullable(rs.getString(8))));
      }
      return out;
    } catch (SQLException e) {
      throw Migrations.failure("reading registered runs", description, e);
    }
  }

  @Override
  public void forEachMember(String runId, MemberVisitor visitor) {
    Checks.notBlank(runId, "runId");
    Checks.notNull(visitor, "visitor");
    try {
      Migrations.stream(dataSource, "SELECT m.pseudonym, m.segment FROM privseg_run_membership m "
          + "JOIN privseg_registered_run r ON r.run_key = m.run_key WHERE r.run_id = ?",
          s -> s.setString(1, runId), rs -> visitor.visit(rs.getString(1), rs.getInt(2)));
    } catch (SQLException e) {
      throw Migrations.failure("reading a run's memberships", description, e);
    }
  }

  /** A registered run. */
  private record Run(String id, long key, String purpose, String algorithm, String logic) {}

  /**
   * The registered runs {@code where} selects (its parameters set by {@code binder}), in run id
   * order.
   */
  private static List<Run> runs(Connection c, String where, Migrations.Binder binder)
      throws SQLException {
    List<Run> runs = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("SELECT run_id, run_key, purpose, algorithm, "
        + "logic FROM privseg_registered_run WHERE " + where + " ORDER BY run_id")) {
      binder.bind(s);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          runs.add(new Run(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
              rs.getString(5)));
        }
      }
    }
    return runs;
  }

  @Override
  public int forget(String pseudonym) {
    try (Connection c = dataSource.getConnection()) {
      return Migrations.inTransaction(c, tx -> {
        int removed = 0;
        try (PreparedStatement s = tx.prepareStatement("DELETE FROM privseg_run_membership "
            + "WHERE run_key = ? AND pseudonym = ?")) {
          s.setString(2, pseudonym);
          for (Run run : runs(tx, "1 = 1", x -> { })) {
            s.setLong(1, run.key());
            removed += s.executeUpdate();
          }
        }
        return removed;
      });
    } catch (SQLException e) {
      throw Migrations.failure("forgetting memberships", description, e);
    }
  }

  @Override
  public int forgetRun(String runId) {
    Checks.notBlank(runId, "runId");
    return forgetRuns("run_id = ?", s -> s.setString(1, runId), "forgetting a run");
  }

  /**
   * Deletes the memberships of every run registered before {@code cutoff}, then the runs, in one
   * transaction; each run's memberships are one range of the key.
   */
  @Override
  public int forgetRunsRegisteredBefore(Instant cutoff) {
    Checks.notNull(cutoff, "cutoff");
    long before = epochMillisSaturated(cutoff);
    int removed = forgetRuns("registered_at < ?", s -> s.setLong(1, before),
        "forgetting old runs");
    // Stagings begun before the cutoff and never completed nor abandoned: their driver died.
    try (Connection c = dataSource.getConnection()) {
      Migrations.inTransaction(c, tx -> {
        List<Long> stale = new ArrayList<>();
        try (PreparedStatement s = tx.prepareStatement(
            "SELECT run_key FROM privseg_staged_run WHERE staged_at < ?")) {
          s.setLong(1, before);
          try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              stale.add(rs.getLong(1));
            }
          }
        }
        for (long runKey : stale) {
          dropStaging(tx, runKey);
        }
        return null;
      });
    } catch (SQLException e) {
      throw Migrations.failure("forgetting old stagings", description, e);
    }
    return removed;
  }

  /**
   * Deletes the registered runs {@code where} selects (its parameters set by {@code binder}) and
   * their memberships, in one transaction; returns how many memberships went.
   */
  private int forgetRuns(String where, Migrations.Binder binder, String what) {
    try (Connection c = dataSource.getConnection()) {
      return Migrations.inTransaction(c, tx -> {
        int removed = 0;
        try (PreparedStatement members = tx.prepareStatement(
                "DELETE FROM privseg_run_membership WHERE run_key = ?");
            PreparedStatement registered = tx.prepareStatement(
                "DELETE FROM privseg_registered_run WHERE run_key = ?")) {
          for (Run run : runs(tx, where, binder)) {
            members.setLong(1, run.key());
            removed += members.executeUpdate();
            registered.setLong(1, run.key());
            registered.executeUpdate();
          }
        }
        return removed;
      });
    } catch (SQLException e) {
      throw Migrations.failure(what, description, e);
    }
  }

  /** Epoch milliseconds, clamped for instants beyond what a {@code long} of them can hold. */
  private static long epochMillisSaturated(Instant t) {
    try {
      return t.toEpochMilli();
    } catch (ArithmeticException e) {
      return t.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

}
