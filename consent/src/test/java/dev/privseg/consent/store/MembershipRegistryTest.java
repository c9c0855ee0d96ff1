package dev.privseg.consent.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.rights.MembershipRegistry;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.consent.store.jdbc.JdbcMembershipRegistry;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.SubjectId;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonym;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.kmeans.KMeans;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The membership registries: in memory, H2 and PostgreSQL, and upgrades from schemas 6 and 8. */
class MembershipRegistryTest {

  @Test
  void registeredRunsAreListedPerPseudonymAndForgotten() throws Exception {
    try (ConsentDatabase db = ConsentDatabase.h2(Files.createTempDirectory("privseg-members"))) {
      registersListsAndForgets(db.memberships());
    }
  }

  @Test
  void registeredRunsAreListedPerPseudonymAndForgottenInPostgres() {
    try (ConsentDatabase db = ConsentDatabase.open(Databases.freshPostgresSchema(),
        "PostgreSQL test schema")) {
      registersListsAndForgets(db.memberships());
    }
  }

  @Test
  void pseudonymsWithAnyCharactersRoundTrip() throws Exception {
    try (ConsentDatabase db = ConsentDatabase.h2(Files.createTempDirectory("privseg-members"))) {
      roundTripsAwkwardPseudonyms(db.memberships());
    }
    try (ConsentDatabase db = ConsentDatabase.open(Databases.freshPostgresSchema(),
        "PostgreSQL test schema")) {
      roundTripsAwkwardPseudonyms(db.memberships());
    }
  }

  /**
   * A host's own pseudonymizer may issue any text: what CSV and COPY treat specially (commas,
   * quotes, backslashes, line breaks, a lone {@code \.}) must come back as it went in.
   */
  private static void roundTripsAwkwardPseudonyms(MembershipRegistry registry) {
    List<String> awkward = List.of("a,b", "\"quoted\"", "back\\slash", "line\nbreak",
        "\\.", "tab\tand\r", "ünï", "NULL", " padded ");
    Pseudonymizer verbatim = new Pseudonymizer() {
      @Override
      public Pseudonym pseudonymize(SubjectId subject) {
        return new Pseudonym(awkward.get(Integer.parseInt(subject.value().substring(1))));
      }

      @Override
      public String description() {
        return "verbatim";
      }

      @Override
      public String keyId() {
        return "none";
      }
    };
    SegmentationRun run = run(awkward.size(), i -> i, verbatim);

    registry.register(run, "awkward pseudonyms");

    for (int i = 0; i < run.assignments().size(); i++) {
      int segment = run.assignments().segment(i);
      assertThat(registry.memberships(run.assignments().pseudonym(i)))
          .as("memberships of pseudonym %d", i).singleElement()
          .extracting(dev.privseg.consent.rights.SegmentMembership::segment)
          .isEqualTo(segment);
    }
  }

  @Test
  void theInMemoryRegistryKeepsTheSameContract() {
    registersListsAndForgets(MembershipRegistry.inMemory());
    MutableClock clock = new MutableClock();
    forgetsRunsByAge(new dev.privseg.consent.rights.InMemoryMembershipRegistry(clock), clock);
  }

  @Test
  void runsAreForgottenByAgeInH2() throws Exception {
    onFreshH2("privseg-members-age", pool -> {
      MutableClock clock = new MutableClock();
      forgetsRunsByAge(JdbcMembershipRegistry.open(pool, "H2 test database", clock), clock);
    });
  }

  /** What a test does with a database. */
  @FunctionalInterface
  private interface DatabaseTest {
    void run(javax.sql.DataSource db) throws Exception;
  }

  /** Runs {@code test} on a fresh H2 file database in a directory named {@code prefix}. */
  private static void onFreshH2(String prefix, DatabaseTest test) throws Exception {
    org.h2.jdbcx.JdbcConnectionPool pool = org.h2.jdbcx.JdbcConnectionPool.create("jdbc:h2:file:"
        + Files.createTempDirectory(prefix).resolve("consent-ledger") + ";FILE_LOCK=FS",
        "privseg", "");
    try {
      test.run(pool);
    } finally {
      pool.dispose();
    }
  }

  @Test
  void runsAreForgottenByAgeInPostgres() {
    MutableClock clock = new MutableClock();
    forgetsRunsByAge(JdbcMembershipRegistry.open(Databases.freshPostgresSchema(),
        "PostgreSQL test schema", clock), clock);
  }

  /**
   * Three runs registered ten days apart: a subject forgotten leaves every run; a cutoff at the
   * third's registration forgets the first two ("before" is strict), with their memberships, and
   * nothing else; the same cutoff again forgets nothing, and the end of time forgets the third.
   */
  private static void forgetsRunsByAge(MembershipRegistry registry, MutableClock clock) {
    Pseudonymizer pseudonyms = Pseudonymizer.hmacSha256(KeyProvider.ephemeral());
    List<SegmentationRun> runs = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      runs.add(run(12, i -> i < 6 ? i : 100 + i, pseudonyms));
      registry.register(runs.get(r), "run " + r);
      clock.advance(java.time.Duration.ofDays(10));
    }
    String p0 = pseudonyms.pseudonymize(SubjectId.of("C0")).value();
    assertThat(registry.memberships(p0)).hasSize(3);
    String p1 = pseudonyms.pseudonymize(SubjectId.of("C1")).value();
    assertThat(registry.forget(p1)).as("a subject is forgotten in every run").isEqualTo(3);
    assertThat(registry.memberships(p1)).isEmpty();

    java.time.Instant third = MutableClock.START.plus(java.time.Duration.ofDays(20));
    assertThat(registry.forgetRunsRegisteredBefore(third)).isEqualTo(22);

    assertThat(registry.memberships(p0)).singleElement()
        .extracting(dev.privseg.consent.rights.SegmentMembership::runId)
        .isEqualTo(runs.get(2).report().runId());
    assertThat(registry.forgetRunsRegisteredBefore(third)).isZero();
    assertThat(registry.forgetRun(runs.get(0).report().runId())).as("already forgotten")
        .isZero();
    assertThat(registry.forgetRunsRegisteredBefore(java.time.Instant.MAX)).isEqualTo(11);
    assertThat(registry.memberships(p0)).isEmpty();
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends java.time.Clock {
    static final java.time.Instant START = java.time.Instant.parse("2026-01-01T00:00:00Z");
    private java.time.Instant now = START;

    void advance(java.time.Duration by) {
      now = now.plus(by);
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public java.time.Instant instant() {
      return now;
    }
  }

  @Test
  void membershipsRegisteredBeforeSchemaVersion7KeepTheirRunDescription() throws Exception {
    java.nio.file.Path dir = Files.createTempDirectory("privseg-members-v6");
    org.h2.jdbcx.JdbcConnectionPool pool = org.h2.jdbcx.JdbcConnectionPool.create(
        "jdbc:h2:file:" + dir.resolve("consent-ledger") + ";FILE_LOCK=FS", "privseg", "");
    try {
      org.flywaydb.core.Flyway.configure().dataSource(pool)
          .locations("classpath:META-INF/privseg/consent-migration")
          .table("privseg_consent_schema_history").target("6").load().migrate();
      try (java.sql.Connection c = pool.getConnection();
          java.sql.Statement s = c.createStatement()) {
        for (String p : List.of("p-one", "p-two")) {
          s.executeUpdate("INSERT INTO privseg_segment_membership (pseudonym, run_id, purpose, "
              + "algorithm, segment, logic) VALUES ('" + p + "', 'run-1', 'marketing', "
              + "'k-means', 2, 'old logic')");
        }
      }
    } finally {
      pool.dispose();
    }

    try (ConsentDatabase db = ConsentDatabase.h2(dir)) {
      assertThat(db.memberships().memberships("p-two")).containsExactly(
          new dev.privseg.consent.rights.SegmentMembership("run-1", "marketing", "k-means", 2,
              "old logic"));
      assertThat(db.memberships().forget("p-one")).isEqualTo(1);
      assertThat(db.memberships().memberships("p-two")).hasSize(1);
      assertThat(db.memberships().forgetRunsRegisteredBefore(java.time.Instant.MAX))
          .as("registered before times were recorded: kept until forgotten by id").isZero();
      assertThat(db.memberships().memberships("p-two")).hasSize(1);
    }
  }

  @Test
  void membershipsOfSchemaVersion8AreKeptByTheUpgradeInH2() throws Exception {
    onFreshH2("privseg-members-v8", MembershipRegistryTest::upgradesFromVersion8);
  }

  @Test
  void membershipsOfSchemaVersion8AreKeptByTheUpgradeInPostgres() throws Exception {
    upgradesFromVersion8(Databases.freshPostgresSchema());
  }

  /**
   * Two runs registered under schema version 8 (one ten days older), then the registry opened:
   * version 9 moves every membership, and lookups, erasure and forgetting by age still work.
   */
  private static void upgradesFromVersion8(javax.sql.DataSource db) throws Exception {
    org.flywaydb.core.Flyway.configure().dataSource(db)
        .locations("classpath:META-INF/privseg/consent-migration")
        .table("privseg_consent_schema_history").target("8").load().migrate();
    MutableClock clock = new MutableClock();
    long older = clock.millis();
    long newer = older + java.time.Duration.ofDays(10).toMillis();
    try (java.sql.Connection c = db.getConnection();
        java.sql.Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO privseg_registered_run (run_id, purpose, algorithm, logic, "
          + "registered_at) VALUES ('run-old', 'marketing', 'k-means', 'old', " + older + "), "
          + "('run-new', 'marketing', 'k-means', 'new', " + newer + ")");
      s.executeUpdate("INSERT INTO privseg_segment_membership (pseudonym, run_id, segment) "
          + "VALUES ('p-one', 'run-old', 1), ('p-two', 'run-old', 0), ('p-one', 'run-new', 3), "
          + "('p-two', 'run-new', 2)");
    }

    MembershipRegistry registry = JdbcMembershipRegistry.open(db, "upgraded database", clock);
    assertThat(registry.memberships("p-one")).containsExactlyInAnyOrder(
        new dev.privseg.consent.rights.SegmentMembership("run-old", "marketing", "k-means", 1,
            "old"),
        new dev.privseg.consent.rights.SegmentMembership("run-new", "marketing", "k-means", 3,
            "new"));
    assertThat(registry.forget("p-two")).isEqualTo(2);
    assertThat(registry.forgetRunsRegisteredBefore(java.time.Instant.ofEpochMilli(newer)))
        .isEqualTo(1);
    assertThat(registry.memberships("p-one")).singleElement()
        .extracting(dev.privseg.consent.rights.SegmentMembership::segment).isEqualTo(3);
    assertThat(registry.forgetRun("run-new")).isEqualTo(1);
    assertThat(registry.memberships("p-one")).isEmpty();
  }

  /**
   * A run over subjects {@code C0..C(n-1)} whose spend is {@code spend(i)}, with k-means (k = 2)
   * and {@code pseudonyms}.
   */
  static SegmentationRun run(int n, IntToDoubleFunction spend,
      Pseudonymizer pseudonyms) {
    Schema schema = Schema.builder().subjectId("id")
        .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER).build();
    DatasetBuilder b = Dataset.builder(schema);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      b.setText(0, "C" + i);
      b.setNumber(1, spend.applyAsDouble(i));
      b.endRow();
      ids.add("C" + i);
    }
    return Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(ids))
        .minimize(m -> m.keep("spend"))
        .pseudonymize("id", pseudonyms)
        .segmentWith(KMeans.clusters(2).seed(1))
        .build().run(b.build());
  }

  private static void registersListsAndForgets(MembershipRegistry registry) {
    Pseudonymizer pseudonyms = Pseudonymizer.hmacSha256(KeyProvider.ephemeral());
    SegmentationRun run = run(30, i -> i < 15 ? i : 100 + i, pseudonyms);

    registry.register(run, "spend segments");
    String p3 = pseudonyms.pseudonymize(SubjectId.of("C3")).value();
    String p20 = pseudonyms.pseudonymize(SubjectId.of("C20")).value();
    int segmentOfP3 = -1;
    for (int i = 0; i < run.assignments().size(); i++) {
      if (run.assignments().pseudonym(i).equals(p3)) {
        segmentOfP3 = run.assignments().segment(i);
      }
    }
    int expectedSegment = segmentOfP3;

    assertThat(registry.memberships(p3)).singleElement().satisfies(m -> {
      assertThat(m.runId()).isEqualTo(run.report().runId());
      assertThat(m.purpose()).isEqualTo("marketing-segmentation");
      assertThat(m.algorithm()).isEqualTo(run.report().segmentation().algorithm());
      assertThat(m.segment()).isEqualTo(expectedSegment).isNotNegative();
      assertThat(m.logic()).isEqualTo("spend segments");
    });
    assertThat(registry.forget(p3)).isEqualTo(1);
    assertThat(registry.memberships(p3)).isEmpty();
    assertThat(registry.memberships(p20)).as("others keep theirs").hasSize(1);

    assertThat(registry.forgetRun(run.report().runId())).isEqualTo(29);
    assertThat(registry.memberships(p20)).isEmpty();
    assertThat(registry.forgetRun(run.report().runId())).isZero();
    registry.register(run, "registered again after being forgotten");
    assertThat(registry.memberships(p20)).singleElement()
        .extracting(dev.privseg.consent.rights.SegmentMembership::logic)
        .isEqualTo("registered again after being forgotten");
  }
}
