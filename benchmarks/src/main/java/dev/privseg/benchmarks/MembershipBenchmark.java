package dev.privseg.benchmarks;

import dev.privseg.consent.rights.MembershipRegistry;
import dev.privseg.consent.store.jdbc.JdbcMembershipRegistry;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.pipeline.SegmentationPipeline;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.kmeans.KMeans;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcConnectionPool;
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
 * Registering a run's memberships (for access requests) in the consent database: a run of
 * 1,000,000 subjects, in H2 (a file database, as the CLI uses) and, with {@code PRIVSEG_PG_URL},
 * PostgreSQL over one reused connection, with {@code runsHeld} earlier runs of the same subjects
 * registered. Each shot of {@code h2} and {@code postgres} registers the run, forgotten again
 * after it outside the measurement; each shot of {@code h2Forget} and {@code postgresForget}
 * forgets it, registered before it outside the measurement.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class MembershipBenchmark {
  static final int SUBJECTS = 1_000_000;

  /** A run of {@link #SUBJECTS} subjects and a registry to register it in. */
  @State(Scope.Benchmark)
  public abstract static class Registry {
    /** Runs of the same subjects already registered (a rolling window of daily runs). */
    @Param({"0", "5"})
    public int runsHeld;
    MembershipRegistry registry;
    SegmentationRun run;

    abstract MembershipRegistry open() throws Exception;

    @Setup(Level.Trial)
    public void prepare() throws Exception {
      Schema schema = Schema.builder().subjectId("id")
          .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER).build();
      DatasetBuilder b = Dataset.builder(schema);
      List<String> ids = new ArrayList<>(SUBJECTS);
      SplittableRandom random = new SplittableRandom(5);
      for (int i = 0; i < SUBJECTS; i++) {
        String id = "C" + i;
        b.setText(0, id);
        b.setNumber(1, random.nextDouble() * 1000);
        b.endRow();
        ids.add(id);
      }
      SegmentationPipeline pipeline = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
          .lawfulBasis(LawfulBasisGate.allowList(ids))
          .minimize(m -> m.keep("spend"))
          .pseudonymize("id", Pseudonymizer.hmacSha256(KeyProvider.ephemeral()))
          .segmentWith(KMeans.clusters(4).seed(1))
          .build();
      Dataset data = b.build();
      run = pipeline.run(data);
      registry = open();
      for (int i = 0; i < runsHeld; i++) {
        registry.register(pipeline.run(data), "an earlier run"); // same pseudonyms, new run id
      }
    }

    /** Registers the run before a shot that forgets it. */
    void registerForForgetting() {
      registry.register(run, "spend segments");
    }

    @TearDown(Level.Iteration)
    public void forget() {
      registry.forgetRun(run.report().runId());
    }
  }

  /** Embedded H2, a file database. */
  @State(Scope.Benchmark)
  public static class H2 extends Registry {
    @Override
    MembershipRegistry open() throws Exception {
      return JdbcMembershipRegistry.open(JdbcConnectionPool.create("jdbc:h2:file:"
          + Files.createTempDirectory("privseg-members-bench").resolve("consent"), "sa", ""),
          "H2 membership benchmark");
    }
  }

  /** PostgreSQL, one reused connection, as from a pool. */
  @State(Scope.Benchmark)
  public static class Postgres extends Registry {
    @Override
    MembershipRegistry open() throws Exception {
      return JdbcMembershipRegistry.open(new ReusedConnection(ConsentBenchmark.postgres()),
          "PostgreSQL membership benchmark");
    }
  }

  /** Registers the run in H2. */
  @Benchmark
  public void h2(H2 r) {
    r.registry.register(r.run, "spend segments");
  }

  /** Registers the run in PostgreSQL. */
  @Benchmark
  public void postgres(Postgres r) {
    r.registry.register(r.run, "spend segments");
  }

  /** H2, with the run registered before each shot. */
  @State(Scope.Benchmark)
  public static class H2Registered extends H2 {
    @Setup(Level.Iteration)
    public void register() {
      registerForForgetting();
    }
  }

  /** PostgreSQL, with the run registered before each shot. */
  @State(Scope.Benchmark)
  public static class PostgresRegistered extends Postgres {
    @Setup(Level.Iteration)
    public void register() {
      registerForForgetting();
    }
  }

  /** Forgets the run in H2 (storage limitation, {@code consent forget-run}). */
  @Benchmark
  public int h2Forget(H2Registered r) {
    return r.registry.forgetRun(r.run.report().runId());
  }

  /** Forgets the run in PostgreSQL. */
  @Benchmark
  public int postgresForget(PostgresRegistered r) {
    return r.registry.forgetRun(r.run.report().runId());
  }
}
