package dev.privseg.benchmarks;

import dev.privseg.consent.ConsentGate;
import dev.privseg.consent.ConsentPolicy;
import dev.privseg.core.Purposes;
import dev.privseg.core.gate.RunGate;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Taking a run's snapshot ({@code LawfulBasisGate.forRun}: every subject decided once) of a
 * ledger of 1,000,000 events (500,000 subjects, two events each) in memory, in H2 and in
 * PostgreSQL: what a run pays before its first row. Single shots; filling H2 takes a few minutes,
 * PostgreSQL needs {@code PRIVSEG_PG_URL}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class SnapshotBenchmark {
  static final int EVENTS = 1_000_000;

  /** In memory. */
  @State(Scope.Benchmark)
  public static class Memory extends LedgerScaleBenchmark.Memory {
    @Override
    int events() {
      return EVENTS;
    }
  }

  /** Embedded H2. */
  @State(Scope.Benchmark)
  public static class H2 extends LedgerScaleBenchmark.H2 {
    @Override
    int events() {
      return EVENTS;
    }
  }

  /** PostgreSQL. */
  @State(Scope.Benchmark)
  public static class Postgres extends LedgerScaleBenchmark.Postgres {
    @Override
    int events() {
      return EVENTS;
    }
  }

  private static RunGate snapshot(LedgerScaleBenchmark.Ledger l) {
    ConsentGate gate = ConsentGate.of(l.ledger,
        List.of(ConsentPolicy.forPurpose(Purposes.MARKETING_SEGMENTATION).build()));
    // After both events of every subject (the second lies within two days of T0).
    Instant at = LedgerScaleBenchmark.T0.plusSeconds(3 * 86_400);
    return gate.forRun(Purposes.MARKETING_SEGMENTATION, at);
  }

  /** In memory. */
  @Benchmark
  public RunGate memory(Memory l) {
    return snapshot(l);
  }

  /** H2, a file database. */
  @Benchmark
  public RunGate h2(H2 l) {
    return snapshot(l);
  }

  /** PostgreSQL on loopback, one reused connection. */
  @Benchmark
  public RunGate postgres(Postgres l) {
    return snapshot(l);
  }
}
