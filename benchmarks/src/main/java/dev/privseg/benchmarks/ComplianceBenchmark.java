package dev.privseg.benchmarks;

import dev.privseg.anonymization.dp.PrivacyAccountant;
import dev.privseg.anonymization.dp.Rational;
import dev.privseg.consent.Activations;
import dev.privseg.consent.ComplianceMonitor;
import dev.privseg.consent.ComplianceStatus;
import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.directory.DirectoryPseudonymizer;
import dev.privseg.consent.ledger.Checkpoint;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.consent.rights.RequestType;
import dev.privseg.consent.rights.SubjectRights;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.SubjectId;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.pipeline.RunOptions;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.kmeans.KMeans;
import java.nio.file.Files;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A compliance status (issue 22: under 10 s on this machine) over a consent database holding
 * 10,000,000 events about 1,000,000 subjects (ten each over a year: consents, renewals,
 * withdrawals, objections, opt-outs) and 50 registered runs of 20,000 members each, with their
 * activations, subject requests and a privacy budget: the hash chain checked (whole, or from
 * last night's checkpoint on, with a day of events since), the purpose's subjects decided once,
 * every run's standing, 12 weeks of consent events. H2 (a file
 * database, as the CLI uses) and, with {@code PRIVSEG_PG_URL}, PostgreSQL through a small
 * connection pool. Setting up takes many minutes; {@code -p subjects=100000} for a quick look.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class ComplianceBenchmark {
  static final int EVENTS_PER_SUBJECT = 10;
  static final int RUNS = 50;
  static final int RUN_MEMBERS = 20_000;
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant AT = T0.plusSeconds(366L * 86_400);
  static final ConsentPolicy POLICY = ConsentPolicy.forPurpose(Purposes.MARKETING_SEGMENTATION)
      .consentExpiresAfter(Period.ofMonths(6)).directMarketing(true)
      .optOutOfSaleOrSharingExcludes(true).build();
  static final EventType[] TYPES = {EventType.CONSENT_GIVEN, EventType.CONSENT_GIVEN,
      EventType.CONSENT_GIVEN, EventType.CONSENT_WITHDRAWN, EventType.CONSENT_WITHDRAWN,
      EventType.OBJECTION, EventType.OBJECTION_WITHDRAWN, EventType.OPT_OUT_OF_SALE_OR_SHARING,
      EventType.OPT_IN_TO_SALE_OR_SHARING, EventType.CONSENT_GIVEN};

  /** A consent database with the events, runs, activations, requests and a budget. */
  @State(Scope.Benchmark)
  public abstract static class Held {
    @Param("1000000")
    int subjects;

    ConsentDatabase db;
    /** Checks the whole chain. */
    ComplianceMonitor whole;
    /** Checks the chain from last night's checkpoint on. */
    ComplianceMonitor sinceCheckpoint;
    /** As {@link #sinceCheckpoint}, reading last night's status snapshot and the events since. */
    ComplianceMonitor fromSnapshot;
    long events;
    long sinceEvents;

    abstract ConsentDatabase open() throws Exception;

    @Setup(Level.Trial)
    public void prepare() throws Exception {
      db = open();
      ConsentLedger ledger = db.ledger(SubjectKeyer.from(KeyProvider.ephemeral()));
      SplittableRandom random = new SplittableRandom(22);
      for (int from = 0; from < subjects; from += 50_000) {
        List<SubjectId> batch = new ArrayList<>();
        for (int i = from; i < Math.min(subjects, from + 50_000); i++) {
          batch.add(SubjectId.of("C" + i));
        }
        List<Optional<SubjectKey>> keys = ledger.keysOf(batch);
        List<EventDraft> drafts = new ArrayList<>();
        for (Optional<SubjectKey> key : keys) {
          for (int e = 0; e < EVENTS_PER_SUBJECT; e++) {
            EventType type = e == 0 ? EventType.CONSENT_GIVEN
                : TYPES[random.nextInt(TYPES.length)];
            drafts.add(new EventDraft(key.orElseThrow(), Purposes.MARKETING_SEGMENTATION.id(),
                type, T0.plusSeconds(random.nextLong(365L * 86_400)), EventSource.IMPORT,
                "notice-1", "benchmark", ""));
          }
        }
        ledger.appendAll(drafts);
      }
      Schema schema = Schema.builder().subjectId("id")
          .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER).build();
      int members = Math.min(RUN_MEMBERS, subjects / RUNS);
      Activations activations = new Activations(ledger, List.of(POLICY), db.memberships(),
          db.activations());
      for (int r = 0; r < RUNS; r++) {
        DatasetBuilder b = Dataset.builder(schema);
        List<String> ids = new ArrayList<>();
        for (int i = r * members; i < (r + 1) * members; i++) {
          b.setText(0, "C" + i);
          b.setNumber(1, random.nextDouble() * 1000);
          b.endRow();
          ids.add("C" + i);
        }
        SegmentationRun run = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
            .lawfulBasis(LawfulBasisGate.allowList(ids))
            .minimize(m -> m.keep("spend"))
            .pseudonymize("id", DirectoryPseudonymizer.of(ledger))
            .segmentWith(KMeans.clusters(4).seed(1).maxIterations(5))
            .build().run(b.build(), RunOptions.defaults().at(T0.plusSeconds(r * 7L * 86_400)));
        db.memberships().register(run, "spend segments");
        if (r % 5 == 0) {
          activations.activate(run.report().runId(), "email", T0.plusSeconds(r * 7L * 86_400),
              "benchmark", (pseudonym, segment) -> { });
        }
      }
      SubjectRights rights = new SubjectRights(ledger, List.of(POLICY),
          DirectoryPseudonymizer.of(ledger), db.memberships(), db.requestLog());
      for (int i = 0; i < 100; i++) {
        rights.receive(SubjectId.of("C" + i * 7), RequestType.ACCESS,
            T0.plusSeconds(300L * 86_400 + i * 3_600L), "dpo");
      }
      PrivacyAccountant.persistent("profiles", Rational.of(3, 1), Rational.ZERO,
          db.spendLog()).spendPure("profile means", Rational.of(1, 2));
      // Last night's checkpoint and status snapshot, and a day of events since (one in a
      // hundred subjects).
      Checkpoint lastNight = ledger.verify().head().orElseThrow();
      ComplianceMonitor.Builder b = monitor(ledger);
      long started = System.nanoTime();
      b.snapshots(db.statusSnapshots()).build().saveSnapshots(AT.minusSeconds(86_400));
      System.out.printf("%nstatus snapshot saved in %,d ms%n",
          (System.nanoTime() - started) / 1_000_000);
      List<SubjectId> today = new ArrayList<>();
      for (int i = 0; i < subjects; i += 100) {
        today.add(SubjectId.of("C" + i));
      }
      List<EventDraft> drafts = new ArrayList<>();
      for (Optional<SubjectKey> key : ledger.keysOf(today)) {
        drafts.add(new EventDraft(key.orElseThrow(), Purposes.MARKETING_SEGMENTATION.id(),
            EventType.CONSENT_GIVEN, AT.minusSeconds(3_600), EventSource.WEB_FORM, "notice-1",
            "benchmark", ""));
      }
      ledger.appendAll(drafts);
      events = (long) subjects * EVENTS_PER_SUBJECT + drafts.size();
      fromSnapshot = b.trustedCheckpoint(lastNight).build();
      b = monitor(ledger);
      whole = b.build();
      sinceCheckpoint = b.trustedCheckpoint(lastNight).build();
      sinceEvents = events - lastNight.sequence() + 1;
      ComplianceStatus read = sinceCheckpoint.status(AT);
      ComplianceStatus resumed = fromSnapshot.status(AT);
      if (!read.coverage().equals(resumed.coverage()) || !read.runs().equals(resumed.runs())) {
        throw new IllegalStateException("the status from the snapshot differs");
      }
    }

    /** A status of everything the database holds, with a retention of 180 days. */
    private ComplianceMonitor.Builder monitor(ConsentLedger ledger) {
      return ComplianceMonitor.forLedger(ledger).policies(List.of(POLICY))
          .runs(db.memberships(), db.activations()).requests(db.requestLog())
          .budgets(() -> PrivacyAccountant.budgets(db.spendLog()))
          .keepRunsFor(Period.ofDays(180));
    }

    @TearDown(Level.Trial)
    public void close() {
      db.close();
    }
  }

  /** Embedded H2, a file database. */
  @State(Scope.Benchmark)
  public static class H2 extends Held {
    @Override
    ConsentDatabase open() throws Exception {
      return ConsentDatabase.h2(Files.createTempDirectory("privseg-status-bench")
          .resolve("consent"));
    }
  }

  /**
   * PostgreSQL through a pool of up to four connections (H2's pool over the driver's pooled
   * source): a status reads the runs' members on a second connection while it reads the ledger.
   */
  @State(Scope.Benchmark)
  public static class Postgres extends Held {
    @Override
    ConsentDatabase open() throws Exception {
      org.postgresql.ds.PGSimpleDataSource simple = ConsentBenchmark.postgres();
      org.postgresql.ds.PGConnectionPoolDataSource pooled =
          new org.postgresql.ds.PGConnectionPoolDataSource();
      pooled.setURL(System.getenv("PRIVSEG_PG_URL"));
      pooled.setCurrentSchema(simple.getCurrentSchema());
      pooled.setReWriteBatchedInserts(true);
      return ConsentDatabase.open(org.h2.jdbcx.JdbcConnectionPool.create(pooled),
          "PostgreSQL status benchmark");
    }
  }

  private static ComplianceStatus status(ComplianceMonitor monitor, long checked, Held h) {
    ComplianceStatus s = monitor.status(AT);
    if (!s.ledger().intact() || s.ledger().eventsChecked() != checked
        || s.runs().size() != RUNS || s.requests().open() != 100) {
      throw new IllegalStateException("unexpected status: " + s.ledger() + ", " + s.runs().size()
          + " runs, " + s.requests().open() + " open requests");
    }
    return s;
  }

  /** The status in H2, the whole chain checked. */
  @Benchmark
  public ComplianceStatus h2(H2 h) {
    return status(h.whole, h.events, h);
  }

  /** The status in H2, the chain checked from last night's checkpoint on. */
  @Benchmark
  public ComplianceStatus h2SinceCheckpoint(H2 h) {
    return status(h.sinceCheckpoint, h.sinceEvents, h);
  }

  /** The status in H2 from last night's status snapshot and checkpoint. */
  @Benchmark
  public ComplianceStatus h2FromSnapshot(H2 h) {
    return status(h.fromSnapshot, h.sinceEvents, h);
  }

  /** The status in PostgreSQL from last night's status snapshot and checkpoint. */
  @Benchmark
  public ComplianceStatus postgresFromSnapshot(Postgres h) {
    return status(h.fromSnapshot, h.sinceEvents, h);
  }

  /** The status in PostgreSQL, the whole chain checked. */
  @Benchmark
  public ComplianceStatus postgres(Postgres h) {
    return status(h.whole, h.events, h);
  }

  /** The status in PostgreSQL, the chain checked from last night's checkpoint on. */
  @Benchmark
  public ComplianceStatus postgresSinceCheckpoint(Postgres h) {
    return status(h.sinceCheckpoint, h.sinceEvents, h);
  }
}
