package dev.privseg.consent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.consent.ConsentException;
import dev.privseg.consent.Fixtures;
import dev.privseg.consent.directory.DirectoryPseudonymizer;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.rights.SegmentMembership;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.consent.store.jdbc.JdbcMembershipRegistry;
import dev.privseg.consent.store.jdbc.MembershipStaging;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.release.Assignments;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memberships staged by other processes (Spark's executors) are registered exactly once: a part
 * written twice counts once, a missing part or a member in two segments registers nothing and
 * says so, a writer on another database is told, and subjects erased during the run are left
 * out as a local registration leaves them out. On H2 and on PostgreSQL.
 */
class MembershipStagingTest {
  private static final int PARTS = 3;

  @Test
  void partsWrittenTwiceAreRegisteredOnceOnH2(@TempDir Path dir) throws Exception {
    Databases.onH2(dir, MembershipStagingTest::partsWrittenTwiceAreRegisteredOnce);
  }

  @Test
  void partsWrittenTwiceAreRegisteredOnceOnPostgres() throws Exception {
    Databases.onPostgres(MembershipStagingTest::partsWrittenTwiceAreRegisteredOnce);
  }

  @Test
  void whatCannotBeRegisteredWholeIsNotRegisteredOnH2(@TempDir Path dir) throws Exception {
    Databases.onH2(dir, (ds, db) -> refusals(ds, db, dir));
  }

  @Test
  void whatCannotBeRegisteredWholeIsNotRegisteredOnPostgres(@TempDir Path dir) throws Exception {
    Databases.onPostgres((ds, db) -> refusals(ds, db, dir));
  }

  @Test
  void subjectsErasedDuringTheRunAreLeftOutOnH2(@TempDir Path dir) throws Exception {
    Databases.onH2(dir, MembershipStagingTest::erasedDuringTheRunAreLeftOut);
  }

  @Test
  void subjectsErasedDuringTheRunAreLeftOutOnPostgres() throws Exception {
    Databases.onPostgres(MembershipStagingTest::erasedDuringTheRunAreLeftOut);
  }

  private static void partsWrittenTwiceAreRegisteredOnce(DataSource ds, ConsentDatabase db)
      throws Exception {
    JdbcMembershipRegistry registry = db.memberships();
    SegmentationRun run = MembershipRegistryTest.run(300, i -> i % 7 * 10,
        Pseudonymizer.hmacSha256(KeyProvider.ephemeral()));
    MembershipStaging staging = registry.stage(run.report(), "staged test run");
    MembershipStaging sent = roundTrip(staging);
    try (Connection c = ds.getConnection()) {
      for (int part = 0; part < PARTS; part++) {
        sent.write(c, part, part(run.assignments(), part).iterator());
      }
      // A retried task writes its part again; a speculative one writes it beside.
      sent.write(c, 1, part(run.assignments(), 1).iterator());
      sent.write(c, 2, part(run.assignments(), 2).iterator());
      // Two attempts at part 1 whose deletes both ran before either committed leave its rows
      // twice.
      try (Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO privseg_membership_staging SELECT * FROM "
            + "privseg_membership_staging WHERE part = 1");
      }
    }
    assertThat(rows(ds, "privseg_membership_staging")).isGreaterThan(run.assignments().size());
    assertThat(registry.memberships(run.assignments().pseudonym(0))).as("not yet").isEmpty();

    assertThat(registry.complete(staging, run.assignments().size()))
        .isEqualTo(run.assignments().size());

    for (int i = 0; i < run.assignments().size(); i++) {
      assertThat(registry.memberships(run.assignments().pseudonym(i))).singleElement()
          .extracting(SegmentMembership::segment, SegmentMembership::runId)
          .containsExactly(run.assignments().segment(i), run.report().runId());
    }
    assertThat(rows(ds, "privseg_membership_staging")).isZero();
    assertThat(rows(ds, "privseg_staged_run")).isZero();
  }

  private static void refusals(DataSource ds, ConsentDatabase db, Path dir) throws Exception {
    JdbcMembershipRegistry registry = db.memberships();
    SegmentationRun run = MembershipRegistryTest.run(200, i -> i,
        Pseudonymizer.hmacSha256(KeyProvider.ephemeral()));
    Assignments a = run.assignments();

    // A part never written: nothing registered, the staging kept until abandoned.
    MembershipStaging missing = registry.stage(run.report(), "missing part");
    try (Connection c = ds.getConnection()) {
      missing.write(c, 0, part(a, 0).iterator());
      missing.write(c, 2, part(a, 2).iterator());
    }
    int written = part(a, 0).size() + part(a, 2).size();
    assertThatThrownBy(() -> registry.complete(missing, a.size()))
        .isInstanceOf(ConsentException.class)
        .hasMessageContaining("has 200 members but " + written + " were staged")
        .hasMessageEndingWith("a part was not written, or written to another database; "
            + "nothing was registered");
    assertThat(registry.memberships(a.pseudonym(0))).isEmpty();
    registry.abandon(missing);
    assertThat(rows(ds, "privseg_membership_staging")).isZero();
    assertThat(rows(ds, "privseg_staged_run")).isZero();

    // A member whose segment differs between two attempts.
    MembershipStaging changed = registry.stage(run.report(), "changed");
    try (Connection c = ds.getConnection()) {
      for (int part = 0; part < PARTS; part++) {
        changed.write(c, part, part(a, part).iterator());
      }
      changed.write(c, PARTS, List.of(new MembershipStaging.Member(a.pseudonym(5),
          a.segment(5) + 1)).iterator());
    }
    assertThatThrownBy(() -> registry.complete(changed, a.size()))
        .isInstanceOf(ConsentException.class)
        .hasMessageContaining("was staged in two segments")
        .hasMessageNotContaining(a.pseudonym(5));
    assertThat(registry.memberships(a.pseudonym(0))).isEmpty();
    registry.abandon(changed);

    // A writer connected to another database is told so, not left to a wrong count.
    MembershipStaging elsewhere = registry.stage(run.report(), "elsewhere");
    ConsentDatabase.h2(dir.resolve("other")).close(); // a consent database, not staging this run
    {
      org.h2.jdbcx.JdbcConnectionPool pool = org.h2.jdbcx.JdbcConnectionPool.create(
          "jdbc:h2:file:" + dir.resolve("other").resolve("consent-ledger") + ";IFEXISTS=TRUE",
          "privseg", "");
      try (Connection c = pool.getConnection()) {
        assertThatThrownBy(() -> elsewhere.write(c, 0, part(a, 0).iterator()))
            .isInstanceOf(ConsentException.class)
            .hasMessageStartingWith("the database the writer connected to is not staging run "
                + run.report().runId() + ": give the writers the registry's database");
      } finally {
        pool.dispose();
      }
    }
    // A staging never completed nor abandoned goes with the runs forgotten by age.
    registry.forgetRunsRegisteredBefore(Instant.now().plusSeconds(60));
    assertThat(rows(ds, "privseg_staged_run")).isZero();
    assertThatThrownBy(() -> registry.complete(roundTrip(elsewhere), a.size()))
        .isInstanceOf(dev.privseg.core.ConfigurationException.class)
        .hasMessage("complete the staging in the process that began it");
  }

  private static void erasedDuringTheRunAreLeftOut(DataSource ds, ConsentDatabase db)
      throws Exception {
    ConsentLedger ledger = db.ledger(Fixtures.KEYER);
    SegmentationRun run = MembershipRegistryTest.run(120, i -> i,
        DirectoryPseudonymizer.of(ledger));
    Assignments a = run.assignments();
    String erased = a.pseudonym(7);
    MembershipStaging staging = db.memberships().stage(run.report(), "directory run");
    try (Connection c = ds.getConnection()) {
      for (int part = 0; part < PARTS; part++) {
        staging.write(c, part, part(a, part).iterator());
      }
    }
    ledger.erase(SubjectId.of("C7"), Instant.now(), "dpo");

    assertThat(db.memberships().complete(staging, a.size())).isEqualTo(a.size() - 1);
    assertThat(db.memberships().memberships(erased)).isEmpty();
    assertThat(db.memberships().memberships(a.pseudonym(8))).hasSize(1);

    // Keyed pseudonyms cannot be told erased: the run is refused, as a local one is.
    SegmentationRun keyed = MembershipRegistryTest.run(120, i -> i,
        Pseudonymizer.hmacSha256(KeyProvider.ephemeral()));
    MembershipStaging refused = db.memberships().stage(keyed.report(), "keyed run");
    try (Connection c = ds.getConnection()) {
      refused.write(c, 0, part(keyed.assignments(), -1).iterator());
    }
    assertThatThrownBy(() -> db.memberships().complete(refused, keyed.assignments().size()))
        .isInstanceOf(ConsentException.class)
        .hasMessageContaining("its pseudonyms are not the subject directory's");
    db.memberships().abandon(refused);
  }

  /** The members of part {@code part} of {@link #PARTS} (every member for -1). */
  private static List<MembershipStaging.Member> part(Assignments a, int part) {
    List<MembershipStaging.Member> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      if (part < 0 || i % PARTS == part) {
        out.add(new MembershipStaging.Member(a.pseudonym(i), a.segment(i)));
      }
    }
    return out;
  }

  /** {@code staging} as a process it is sent to receives it. */
  private static MembershipStaging roundTrip(MembershipStaging staging) throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(staging);
    }
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
        new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      return (MembershipStaging) in.readObject();
    }
  }

  private static long rows(DataSource ds, String table) throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
