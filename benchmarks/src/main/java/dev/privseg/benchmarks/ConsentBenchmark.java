package dev.privseg.benchmarks;

import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.core.Purposes;
import dev.privseg.core.SubjectId;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.gate.BasisDecisions;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.gate.RunGate;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.examples.DemoPipeline;
import dev.privseg.examples.SyntheticCustomers;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The consent targets of issue 4: gate decisions from a ledger snapshot, an in-memory lookup on
 * the demo's ledger, and batched PostgreSQL appends ({@link LedgerScaleBenchmark} measures the
 * lookups at 10 million events). PostgreSQL needs {@code PRIVSEG_PG_URL} (start a server with
 * {@code . .ci/postgres.sh}).
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
    RunGate snapshot;

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
      if (g.snapshot.decide(id).isAllowed()) {
        allowed++;
      }
    }
    return allowed;
  }

  /**
   * Deciding all 1,000,000 rows of the id column at once, as the pipeline does, on the caller's
   * thread. Average time over repeated calls: the target is a throughput (decisions per second on
   * one core), which single shots of 0.1 s on this VM measure mostly as noise.
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 5, time = 2)
  @Measurement(iterations = 10, time = 2)
  public BasisDecisions gateSnapshotDecideAllColumn(Gate g) {
    BasisDecisions out = new BasisDecisions(SUBJECTS);
    g.snapshot.decideAll(g.column, out);
    return out;
  }

  /** Taking the snapshot itself: one pass over the ledger (once per run). */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public RunGate gateSnapshotBuild(Gate g) {
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

  /** A PostgreSQL ledger of 200,000 events, one reused connection, for appends. */
  @State(Scope.Benchmark)
  public static class Postgres extends LedgerScaleBenchmark.Postgres {
    @Override
    int events() {
      return 200_000;
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
        batch.add(EventDraft.of(LedgerScaleBenchmark.Ledger.key(i),
            Purposes.MARKETING_SEGMENTATION.id(), EventType.CONSENT_GIVEN, t, EventSource.API,
            "bench"));
      }
      db.ledger.appendAll(batch);
    }
  }
}
