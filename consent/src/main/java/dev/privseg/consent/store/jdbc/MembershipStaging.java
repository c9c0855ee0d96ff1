package dev.privseg.consent.store.jdbc;

import dev.privseg.consent.ConsentException;
import dev.privseg.core.Checks;
import dev.privseg.core.report.ProcessingRecord;
import java.io.IOException;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import org.apache.commons.csv.CSVPrinter;

/**
 * A run's memberships on their way into a {@link JdbcMembershipRegistry} from processes other
 * than the one that registers the run: Spark's executors, say, each writing its part of the
 * assignments ({@link #write}) in a transaction of its own. A part written again (a retried or
 * speculative task) replaces or repeats the same members, never adds others; the registry then
 * registers the run from what was staged in one transaction ({@link
 * JdbcMembershipRegistry#complete}), each member once, or drops it ({@link
 * JdbcMembershipRegistry#abandon}). Begun with {@link JdbcMembershipRegistry#stage}.
 *
 * <p>Serializable, to be sent to the processes that write: it holds the run's numeric key and
 * id, never a connection, a credential or a member; the run's record stays where the staging
 * was begun.
 */
public final class MembershipStaging implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Members sent to the database per statement batch or COPY. */
  private static final int BATCH = 10_000;
  private final long runKey;
  private final String runId;
  private final transient ProcessingRecord report;
  private final transient String logic;

  MembershipStaging(long runKey, ProcessingRecord report, String logic) {
    this.runKey = runKey;
    this.runId = report.runId();
    this.report = report;
    this.logic = logic;
  }

  /** One subject's membership: its pseudonym and its segment. */
  public record Member(String pseudonym, int segment) {
    /** Checks the member; the message never holds the pseudonym. */
    public Member {
      Checks.notNull(pseudonym, "pseudonym");
    }

    @Override
    public String toString() {
      return "Member[redacted, segment " + segment + "]";
    }
  }

  /** The id of the run being staged. */
  public String runId() {
    return runId;
  }

  /**
   * Writes part {@code part} of the run's memberships through {@code connection}, in one
   * transaction that first deletes whatever an earlier attempt at the same part wrote: a part
   * is staged whole or not at all, and writing it again is harmless.
   *
   * @throws ConsentException if the database {@code connection} reaches is not staging this run
   *     (another database than the registry's, or a staging already completed or abandoned), or
   *     a write fails
   */
  public void write(Connection connection, int part, Iterator<Member> members) {
    Checks.notNull(connection, "connection");
    Checks.notNull(members, "members");
    try {
      Migrations.inTransaction(connection, tx -> {
        requireStaged(tx);
        try (PreparedStatement s = tx.prepareStatement("DELETE FROM privseg_membership_staging "
            + "WHERE run_key = ? AND part = ?")) {
          s.setLong(1, runKey);
          s.setInt(2, part);
          s.executeUpdate();
        }
        boolean copy = Postgres.available(tx);
        Member[] batch = new Member[BATCH];
        while (members.hasNext()) {
          int n = 0;
          while (n < BATCH && members.hasNext()) {
            batch[n++] = members.next();
          }
          if (copy) {
            copy(tx, part, batch, n);
          } else {
            insert(tx, part, batch, n);
          }
        }
        return null;
      });
    } catch (SQLException e) {
      throw Migrations.failure("staging the memberships of run " + runId,
          "the database the writer connected to", e);
    }
  }

  private void requireStaged(Connection tx) throws SQLException {
    boolean staged;
    try (PreparedStatement s = tx.prepareStatement(
        "SELECT 1 FROM privseg_staged_run WHERE run_key = ?")) {
      s.setLong(1, runKey);
      try (ResultSet rs = s.executeQuery()) {
        staged = rs.next();
      }
    } catch (SQLException e) {
      throw new ConsentException("the database the writer connected to holds no membership "
          + "staging (consent schema version 14): give the writers the registry's database", e);
    }
    if (!staged) {
      throw new ConsentException("the database the writer connected to is not staging run "
          + runId + ": give the writers the registry's database, and write before the staging "
          + "is completed or abandoned");
    }
  }

  private void copy(Connection tx, int part, Member[] batch, int n) throws SQLException {
    Postgres.copy(tx, "privseg_membership_staging", "run_key, part, pseudonym, segment",
        new Postgres.Rows() {
          @Override
          public int size() {
            return n;
          }

          @Override
          public void write(int i, CSVPrinter out) throws IOException {
            out.print(runKey);
            out.print(part);
            out.print(batch[i].pseudonym());
            out.print(batch[i].segment());
            out.println();
          }
        });
  }

  private void insert(Connection tx, int part, Member[] batch, int n) throws SQLException {
    try (PreparedStatement s = tx.prepareStatement("INSERT INTO privseg_membership_staging "
        + "(run_key, part, pseudonym, segment) VALUES (?, ?, ?, ?)")) {
      for (int i = 0; i < n; i++) {
        s.setLong(1, runKey);
        s.setInt(2, part);
        s.setString(3, batch[i].pseudonym());
        s.setInt(4, batch[i].segment());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  long runKey() {
    return runKey;
  }

  /** The run's record, where the staging was begun; null in a process it was sent to. */
  ProcessingRecord report() {
    return report;
  }

  String logic() {
    return logic;
  }

  @Override
  public String toString() {
    return "MembershipStaging[run " + runId + "]";
  }
}
