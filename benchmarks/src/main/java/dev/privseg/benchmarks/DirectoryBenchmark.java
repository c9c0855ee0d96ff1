package dev.privseg.benchmarks;

import dev.privseg.consent.directory.DirectoryPseudonymizer;
import dev.privseg.consent.directory.SubjectDirectory;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.consent.store.InMemoryLedgerStore;
import dev.privseg.consent.store.jdbc.JdbcSubjectDirectory;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pseudonymize.KeyProvider;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
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
 * Directory pseudonyms for a run: the pseudonyms of subjects already in a subject directory of
 * 100,000, asked for in the pipeline's blocks of 4,096 ({@code pseudonymizeAll}), for a run of
 * all of them ({@code forRun}, one scan of the directory, then blocks), and one subject at a
 * time ({@code pseudonymize}, the path before lists), and the creation of entries
 * for new subjects as an import makes them ({@code ConsentLedger.keysOf}). Per subject, in H2 and
 * (with {@code PRIVSEG_PG_URL}) PostgreSQL over one reused connection.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class DirectoryBenchmark {
  static final int SUBJECTS = 100_000;
  static final int BLOCK = 4_096;
  static final int ONE_BY_ONE = 1_000;

  /** A directory holding {@link #SUBJECTS} subjects. */
  public abstract static class Directory {
    SubjectDirectory directory;
    ConsentLedger ledger;
    DirectoryPseudonymizer pseudonyms;
    List<SubjectId> held;
    long created;

    abstract SubjectDirectory open() throws Exception;

    @Setup(Level.Trial)
    public void fill() throws Exception {
      directory = open();
      ledger = ConsentLedger.open(new InMemoryLedgerStore(),
          SubjectKeyer.from(KeyProvider.ephemeral()), directory);
      pseudonyms = DirectoryPseudonymizer.of(ledger);
      held = new ArrayList<>(SUBJECTS);
      for (int i = 0; i < SUBJECTS; i++) {
        held.add(SubjectId.of(String.format("C%07d", i)));
      }
      ledger.keysOf(held);
    }

    /** The next {@code n} subjects the directory has never seen. */
    List<SubjectId> fresh(int n) {
      List<SubjectId> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(SubjectId.of("N" + created++));
      }
      return out;
    }

    @TearDown(Level.Trial)
    public void close() {
      directory.close();
    }
  }

  /** Embedded H2 (a file database, as the CLI uses). */
  @State(Scope.Benchmark)
  public static class H2 extends Directory {
    @Override
    SubjectDirectory open() throws Exception {
      return JdbcSubjectDirectory.h2(Files.createTempDirectory("privseg-directory-bench"));
    }
  }

  /** PostgreSQL, one reused connection, as from a pool. */
  @State(Scope.Benchmark)
  public static class Postgres extends Directory {
    @Override
    SubjectDirectory open() throws Exception {
      return JdbcSubjectDirectory.open(new ReusedConnection(ConsentBenchmark.postgres()),
          "PostgreSQL directory benchmark");
    }
  }

  private static void blocks(Directory d, Blackhole bh) {
    for (int from = 0; from < SUBJECTS; from += BLOCK) {
      bh.consume(d.pseudonyms.pseudonymizeAll(
          d.held.subList(from, Math.min(SUBJECTS, from + BLOCK))));
    }
  }

  /** As a run does now: one pseudonymizer for the run (which reads the directory), then blocks. */
  private static void loaded(Directory d, Blackhole bh) {
    dev.privseg.core.pseudonymize.PseudonymSession run = d.pseudonyms.forRun(SUBJECTS);
    for (int from = 0; from < SUBJECTS; from += BLOCK) {
      bh.consume(run.pseudonymizeAll(d.held.subList(from, Math.min(SUBJECTS, from + BLOCK))));
    }
  }

  private static void oneByOne(Directory d, Blackhole bh) {
    for (int i = 0; i < ONE_BY_ONE; i++) {
      bh.consume(d.pseudonyms.pseudonymize(d.held.get(i * (SUBJECTS / ONE_BY_ONE))));
    }
  }

  /** Per subject: held pseudonyms in blocks, H2. */
  @Benchmark
  @OperationsPerInvocation(SUBJECTS)
  public void h2Blocks(H2 d, Blackhole bh) {
    blocks(d, bh);
  }

  /** Per subject: held pseudonyms for a run of all of them (one scan, then blocks), H2. */
  @Benchmark
  @OperationsPerInvocation(SUBJECTS)
  public void h2Loaded(H2 d, Blackhole bh) {
    loaded(d, bh);
  }

  /** Per subject: held pseudonyms one at a time, H2. */
  @Benchmark
  @OperationsPerInvocation(ONE_BY_ONE)
  public void h2OneByOne(H2 d, Blackhole bh) {
    oneByOne(d, bh);
  }

  /** Per subject: new entries for a list of 10,000 subjects, H2. */
  @Benchmark
  @OperationsPerInvocation(10_000)
  public void h2CreateList(H2 d, Blackhole bh) {
    bh.consume(d.ledger.keysOf(d.fresh(10_000)));
  }

  /** Per subject: held pseudonyms in blocks, PostgreSQL. */
  @Benchmark
  @OperationsPerInvocation(SUBJECTS)
  public void postgresBlocks(Postgres d, Blackhole bh) {
    blocks(d, bh);
  }

  /** Per subject: held pseudonyms for a run of all of them, PostgreSQL. */
  @Benchmark
  @OperationsPerInvocation(SUBJECTS)
  public void postgresLoaded(Postgres d, Blackhole bh) {
    loaded(d, bh);
  }

  /** Per subject: held pseudonyms one at a time, PostgreSQL. */
  @Benchmark
  @OperationsPerInvocation(ONE_BY_ONE)
  public void postgresOneByOne(Postgres d, Blackhole bh) {
    oneByOne(d, bh);
  }

  /** Per subject: new entries for a list of 10,000 subjects, PostgreSQL. */
  @Benchmark
  @OperationsPerInvocation(10_000)
  public void postgresCreateList(Postgres d, Blackhole bh) {
    bh.consume(d.ledger.keysOf(d.fresh(10_000)));
  }
}
