package dev.privseg.benchmarks;

import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.consent.store.InMemoryLedgerStore;
import dev.privseg.consent.store.LedgerStore;
import dev.privseg.consent.store.jdbc.JdbcLedgerStore;
import dev.privseg.core.PurposeId;
import dev.privseg.core.Purposes;
import dev.privseg.core.pseudonymize.KeyProvider;
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

/**
 * State-at-instant lookups in a ledger of {@code events} events (2 per subject), in memory, in H2
 * and in PostgreSQL: the 10-million-event targets. Filling takes minutes; PostgreSQL needs
 * {@code PRIVSEG_PG_URL}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms14g", "-Xmx14g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class LedgerScaleBenchmark {
  static final PurposeId PURPOSE = Purposes.MARKETING_SEGMENTATION.id();
  static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

  /** A ledger of {@code events} events over {@code events / 2} subjects. */
  public abstract static class Ledger {
    ConsentLedger ledger;
    LedgerStore store;
    int subjects;

    abstract LedgerStore open() throws Exception;

    /** Events in the ledger: 10 million, or {@code -Dprivseg.scale.events=N} in the fork. */
    int events() {
      return Integer.getInteger("privseg.scale.events", 10_000_000);
    }

    /** The key of subject {@code s}. */
    static SubjectKey key(int s) {
      return new SubjectKey(s, s * 31L + 7);
    }

    @Setup(Level.Trial)
    public void fill() throws Exception {
      int events = events();
      store = open();
      ledger = ConsentLedger.open(store, SubjectKeyer.from(KeyProvider.ephemeral()));
      subjects = events / 2;
      List<EventDraft> batch = new ArrayList<>(10_000);
      for (int s = 0; s < subjects; s++) {
        SubjectKey k = key(s);
        batch.add(EventDraft.of(k, PURPOSE, EventType.CONSENT_GIVEN, T0.plusSeconds(s % 86_400),
            EventSource.IMPORT, "bench"));
        batch.add(EventDraft.of(k, PURPOSE, s % 4 == 0 ? EventType.CONSENT_WITHDRAWN
            : EventType.OBJECTION, T0.plusSeconds(86_400 + s % 86_400), EventSource.IMPORT,
            "bench"));
        if (batch.size() >= 10_000) {
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

  /** In memory. */
  @State(Scope.Benchmark)
  public static class Memory extends Ledger {
    @Override
    LedgerStore open() {
      return new InMemoryLedgerStore();
    }
  }

  /** Embedded H2. */
  @State(Scope.Benchmark)
  public static class H2 extends Ledger {
    @Override
    LedgerStore open() throws Exception {
      return JdbcLedgerStore.h2(Files.createTempDirectory("privseg-scale-h2"));
    }
  }

  /** PostgreSQL, one reused connection. */
  @State(Scope.Benchmark)
  public static class Postgres extends Ledger {
    @Override
    LedgerStore open() throws Exception {
      return JdbcLedgerStore.open(new ReusedConnection(ConsentBenchmark.postgres()),
          "PostgreSQL scale benchmark");
    }
  }

  private static void lookups(Ledger l, Blackhole bh, int n) {
    SplittableRandom r = new SplittableRandom(3);
    Instant at = T0.plusSeconds(200_000);
    for (int i = 0; i < n; i++) {
      int s = r.nextInt(l.subjects);
      bh.consume(l.ledger.state(Ledger.key(s), PURPOSE, at));
    }
  }

  /** One lookup in memory (averaged over 100,000). */
  @Benchmark
  @OperationsPerInvocation(100_000)
  public void inMemory(Memory l, Blackhole bh) {
    lookups(l, bh, 100_000);
  }

  /** One lookup in H2 (averaged over 1,000). */
  @Benchmark
  @OperationsPerInvocation(1_000)
  public void h2(H2 l, Blackhole bh) {
    lookups(l, bh, 1_000);
  }

  /** One lookup in PostgreSQL (averaged over 1,000). */
  @Benchmark
  @OperationsPerInvocation(1_000)
  public void postgres(Postgres l, Blackhole bh) {
    lookups(l, bh, 1_000);
  }
}
