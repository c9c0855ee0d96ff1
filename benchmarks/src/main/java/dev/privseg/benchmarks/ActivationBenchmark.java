package dev.privseg.benchmarks;

import dev.privseg.consent.Activation;
import dev.privseg.consent.Activations;
import dev.privseg.consent.ConsentGate;
import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.directory.DirectoryPseudonymizer;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.SubjectId;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.pipeline.RunOptions;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.kmeans.KMeans;
import java.nio.file.Files;
import java.time.Instant;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An activation check of a registered run of 1,000,000 members (issue 22: at most 5 s on
 * PostgreSQL): every member decided anew for the run's purpose, one in ten having withdrawn
 * since the run, the allowed ones handed over and the activation recorded. In H2 (a file
 * database, as the CLI uses) and, with {@code PRIVSEG_PG_URL}, PostgreSQL over one reused
 * connection. Setting up (a million consents, a run, its registration) takes a few minutes.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class ActivationBenchmark {
  static final int SUBJECTS = 1_000_000;
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final ConsentPolicy POLICY = ConsentPolicy.forPurpose(Purposes.MARKETING_SEGMENTATION)
      .directMarketing(true).optOutOfSaleOrSharingExcludes(true).build();

  /** A consent database holding a registered run of {@link #SUBJECTS} members. */
  @State(Scope.Benchmark)
  public abstract static class Run {
    ConsentDatabase db;
    Activations activations;
    String runId;

    abstract ConsentDatabase open() throws Exception;

    @Setup(Level.Trial)
    public void prepare() throws Exception {
      db = open();
      ConsentLedger ledger = db.ledger(SubjectKeyer.from(KeyProvider.ephemeral()));
      Schema schema = Schema.builder().subjectId("id")
          .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER).build();
      DatasetBuilder b = Dataset.builder(schema);
      SplittableRandom random = new SplittableRandom(22);
      List<SubjectId> batch = new ArrayList<>();
      for (int i = 0; i < SUBJECTS; i++) {
        b.setText(0, "C" + i);
        b.setNumber(1, random.nextDouble() * 1000);
        b.endRow();
        batch.add(SubjectId.of("C" + i));
        if (batch.size() == 100_000 || i == SUBJECTS - 1) {
          events(ledger, batch, EventType.CONSENT_GIVEN, T0, 1);
          batch.clear();
        }
      }
      SegmentationRun run = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
          .lawfulBasis(ConsentGate.of(ledger, List.of(POLICY)))
          .minimize(m -> m.keep("spend"))
          .pseudonymize("id", DirectoryPseudonymizer.of(ledger))
          .segmentWith(KMeans.clusters(4).seed(1).maxIterations(5))
          .build().run(b.build(), RunOptions.defaults().at(T0.plusSeconds(86_400)));
      db.memberships().register(run, "spend segments");
      runId = run.report().runId();
      // One member in ten withdraws after the run.
      for (int from = 0; from < SUBJECTS; from += 100_000) {
        for (int i = from; i < from + 100_000; i++) {
          batch.add(SubjectId.of("C" + i));
        }
        events(ledger, batch, EventType.CONSENT_WITHDRAWN, T0.plusSeconds(2 * 86_400), 10);
        batch.clear();
      }
      activations = new Activations(ledger, List.of(POLICY), db.memberships(),
          db.activations());
    }

    /** Appends {@code type} for every {@code every}-th subject of {@code subjects}. */
    private static void events(ConsentLedger ledger, List<SubjectId> subjects, EventType type,
        Instant at, int every) {
      List<Optional<SubjectKey>> keys = ledger.keysOf(subjects);
      List<EventDraft> drafts = new ArrayList<>();
      for (int i = 0; i < keys.size(); i += every) {
        drafts.add(new EventDraft(keys.get(i).orElseThrow(),
            Purposes.MARKETING_SEGMENTATION.id(), type, at, EventSource.IMPORT, "notice-1",
            "benchmark", ""));
      }
      ledger.appendAll(drafts);
    }

    @TearDown(Level.Trial)
    public void close() {
      db.close();
    }
  }

  /** Embedded H2, a file database. */
  @State(Scope.Benchmark)
  public static class H2 extends Run {
    @Override
    ConsentDatabase open() throws Exception {
      return ConsentDatabase.h2(Files.createTempDirectory("privseg-activation-bench")
          .resolve("consent"));
    }
  }

  /** PostgreSQL, one reused connection, as from a pool. */
  @State(Scope.Benchmark)
  public static class Postgres extends Run {
    @Override
    ConsentDatabase open() throws Exception {
      return ConsentDatabase.open(new ReusedConnection(ConsentBenchmark.postgres()),
          "PostgreSQL activation benchmark");
    }
  }

  private static Activation activate(Run r) {
    long[] handed = new long[1];
    Activation a = r.activations.activate(r.runId, "email", T0.plusSeconds(3 * 86_400),
        "benchmark", (pseudonym, segment) -> handed[0]++);
    if (handed[0] != 900_000 || a.allowed() != 900_000) {
      throw new IllegalStateException("expected 900,000 members allowed, got " + handed[0]);
    }
    return a;
  }

  /** The activation check in H2. */
  @Benchmark
  public Activation h2(H2 r) {
    return activate(r);
  }

  /** The activation check in PostgreSQL. */
  @Benchmark
  public Activation postgres(Postgres r) {
    return activate(r);
  }
}
