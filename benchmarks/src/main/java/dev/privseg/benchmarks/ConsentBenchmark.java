package dev.privseg.benchmarks;

import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.consent.store.LedgerStore;
import dev.privseg.consent.store.jdbc.JdbcLedgerStore;
import dev.privseg.core.Purposes;
import dev.privseg.core.SubjectId;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.gate.BasisDecision;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.examples.DemoPipeline;
import dev.privseg.examples.SyntheticCustomers;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The consent targets of issue 4: gate decisions from a ledger snapshot, state-at-instant lookups
 * in memory, H2 and PostgreSQL, and batched PostgreSQL appends. PostgreSQL benchmarks need
 * {@code PRIVSEG_PG_URL} (start a server with {@code . .ci/postgres.sh}).
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g"})
@Warmup(iterations = 3)
@Measurement(iterations = 8)
public class ConsentBenchmark {
  static final int SUBJECTS = 1_000_000;
  static final int LOOKUPS = 100_000;

  /** 1,000,000 synthetic customers, their consents in an in-memory ledger, and a snapshot. */
  @State(Scope.Benchmark)
  public static class Gate {
    SubjectId[] ids;
    StringColumn column;
    ConsentLedger ledger;
    LawfulBasisGate live;
    LawfulBasisGate snapshot;

    @Setup(Level.Trial)
    public void setUp() {
      KeyProvider keys = KeyProvider.ephemeral();
      SyntheticCustomers.Population p = SyntheticCustomers.generate(SUBJECTS, 42);
      ledger = DemoPipeline.ledger(p, keys);
      live = DemoPipeline.gate(ledger);
      snapshot = live.forRun(Purposes.MARKETING_SEGMENTATION, SyntheticCustomers.AS_OF);
      column = p.customers().column("customer_id", StringColumn.class);
      ids = new SubjectId[SUBJECTS];
      for (int i = 0; i < SUBJECTS; i++) {
        ids[i] = SubjectId.of(String.format("C%08d", i + 1));
      }
    }
  }

  /** Deciding all 1,000,000 subjects from the snapshot (keying each id included). */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public int gateSnapshotDecideMillion(Gate g) {
    int allowed = 0;
    for (SubjectId id : g.ids) {
      if (g.snapshot.decide(id, Purposes.MARKETING_SEGMENTATION, SyntheticCustomers.AS_OF)
          .isAllowed()) {
        allowed++;
      }
    }
    return allowed;
  }

  /** Deciding all 1,000,000 rows of the id column at once, as the pipeline does. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public BasisDecision[] gateSnapshotDecideAllColumn(Gate g) {
    BasisDecision[] out = new BasisDecision[SUBJECTS];
    g.snapshot.decideAll(g.column, Purposes.MARKETING_SEGMENTATION, SyntheticCustomers.AS_OF,
        out);
    return out;
  }

  /** Taking the snapshot itself: one pass over the ledger (once per run). */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public LawfulBasisGate gateSnapshotBuild(Gate g) {
    return g.live.forRun(Purposes.MARKETING_SEGMENTATION, SyntheticCustomers.AS_OF);
  }

  /** State of one random subject at an instant from the in-memory ledger (index, not scan). */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @OperationsPerInvocation(LOOKUPS)
  public void inMemoryStateLookup(Gate g, Blackhole bh) {
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < LOOKUPS; i++) {
      bh.consume(g.ledger.state(g.ids[r.nextInt(SUBJECTS)],
          Purposes.MARKETING_SEGMENTATION.id(), SyntheticCustomers.AS_OF));
    }
  }

  /** A JDBC ledger of 200,000 events over 100,000 subjects. */
  public abstract static class Jdbc {
    static final int JDBC_SUBJECTS = 100_000;
    ConsentLedger ledger;
    LedgerStore store;
    SubjectKey[] keys;

    abstract LedgerStore open() throws Exception;

    @Setup(Level.Trial)
    public void fill() throws Exception {
      store = open();
      ledger = ConsentLedger.open(store, SubjectKeyer.from(KeyProvider.ephemeral()));
      keys = new SubjectKey[JDBC_SUBJECTS];
      Instant t = Instant.parse("2025-01-01T00:00:00Z");
      List<EventDraft> batch = new ArrayList<>();
      for (int s = 0; s < JDBC_SUBJECTS; s++) {
        keys[s] = ledger.keyOf(SubjectId.of("S" + s));
        batch.add(EventDraft.of(keys[s], Purposes.MARKETING_SEGMENTATION.id(),
            EventType.CONSENT_GIVEN, t.plusSeconds(s), EventSource.IMPORT, "bench"));
        batch.add(EventDraft.of(keys[s], Purposes.MARKETING_SEGMENTATION.id(),
            s % 3 == 0 ? EventType.CONSENT_WITHDRAWN : EventType.OBJECTION,
            t.plusSeconds(86_400 + s), EventSource.IMPORT, "bench"));
        if (batch.size() >= 5_000) {
          ledger.appendAll(batch);
          batch.clear();
        }
      }
      if (!batch.isEmpty()) {
        ledger.appendAll(batch);
      }
    }

    @TearDown(Level.Trial)
    public void close() {
      store.close();
    }
  }

  /** The JDBC ledger in an embedded H2 file. */
  @State(Scope.Benchmark)
  public static class H2 extends Jdbc {
    @Override
    LedgerStore open() throws Exception {
      return JdbcLedgerStore.h2(Files.createTempDirectory("privseg-bench-h2"));
    }
  }

  /** The JDBC ledger in PostgreSQL (a fresh schema), one reused connection as from a pool. */
  @State(Scope.Benchmark)
  public static class Postgres extends Jdbc {
    @Override
    LedgerStore open() throws Exception {
      return JdbcLedgerStore.open(new ReusedConnection(postgres()), "PostgreSQL benchmark");
    }
  }

  static PGSimpleDataSource postgres() throws Exception {
    String url = System.getenv("PRIVSEG_PG_URL");
    if (url == null) {
      throw new IllegalStateException("set PRIVSEG_PG_URL (. .ci/postgres.sh starts a server)");
    }
    String schema = "bench_" + System.nanoTime();
    PGSimpleDataSource admin = new PGSimpleDataSource();
    admin.setURL(url);
    try (var c = admin.getConnection(); var s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(url);
    ds.setCurrentSchema(schema);
    ds.setReWriteBatchedInserts(true);
    return ds;
  }

  /** State of one random subject from H2 (a new pooled connection per lookup). */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @OperationsPerInvocation(1_000)
  public void h2StateLookup(H2 db, Blackhole bh) {
    lookups(db, bh);
  }

  /** State of one random subject from PostgreSQL (connection reused, as from a pool). */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @OperationsPerInvocation(1_000)
  public void postgresStateLookup(Postgres db, Blackhole bh) {
    lookups(db, bh);
  }

  private static void lookups(Jdbc db, Blackhole bh) {
    SplittableRandom r = new SplittableRandom(2);
    Instant at = Instant.parse("2025-06-01T00:00:00Z");
    for (int i = 0; i < 1_000; i++) {
      bh.consume(db.ledger.state(db.keys[r.nextInt(Jdbc.JDBC_SUBJECTS)],
          Purposes.MARKETING_SEGMENTATION.id(), at));
    }
  }

  /** Appending 50,000 events to PostgreSQL in batches of 5,000 (chain kept). */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @OperationsPerInvocation(50_000)
  public void postgresAppend(Postgres db) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    for (int b = 0; b < 10; b++) {
      List<EventDraft> batch = new ArrayList<>(5_000);
      for (int i = 0; i < 5_000; i++) {
        batch.add(EventDraft.of(db.keys[i % Jdbc.JDBC_SUBJECTS],
            Purposes.MARKETING_SEGMENTATION.id(), EventType.CONSENT_GIVEN, t, EventSource.API,
            "bench"));
      }
      db.ledger.appendAll(batch);
    }
  }
}
