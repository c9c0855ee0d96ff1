package dev.privseg.consent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.consent.ConsentException;
import dev.privseg.consent.ConsentGate;
import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.Fixtures;
import dev.privseg.consent.directory.DirectoryPseudonymizer;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.rights.SubjectRights;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.SubjectId;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.pipeline.RunOptions;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.kmeans.KMeans;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasure and membership registration serialize: a subject erased while a run is in progress
 * has no membership afterwards, whichever commits first (a PostgreSQL race left one for the
 * erased pseudonym in 2 of 10 tries).
 */
class ErasureRegistrationRaceTest {
  static final Schema SCHEMA = Schema.builder().subjectId("id")
      .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER).build();
  static final int N = 30;

  static Dataset customers() {
    DatasetBuilder b = Dataset.builder(SCHEMA);
    for (int i = 0; i < N; i++) {
      b.setText(0, "C" + i);
      b.setNumber(1, i % 2 == 0 ? i : 1000 + i);
      b.endRow();
    }
    return b.build();
  }

  static SegmentationRun run(ConsentLedger ledger, Pseudonymizer pseudonymizer) {
    return Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(ConsentGate.of(ledger, List.of(
            ConsentPolicy.forPurpose(Purposes.MARKETING_SEGMENTATION).build())))
        .minimize(m -> m.keep("spend"))
        .pseudonymize("id", pseudonymizer)
        .segmentWith(KMeans.clusters(2).seed(3))
        .releaseProfiles(p -> p.minSegmentSize(1))
        .build().run(customers(), RunOptions.defaults().at(Fixtures.day(5)));
  }

  static ConsentLedger consenting(ConsentDatabase db) {
    ConsentLedger ledger = db.ledger(Fixtures.KEYER);
    for (int i = 0; i < N; i++) {
      ledger.append(Fixtures.event(ledger.keyOf(SubjectId.of("C" + i)), Fixtures.MARKETING,
          EventType.CONSENT_GIVEN, 1));
    }
    return ledger;
  }

  static SubjectRights rights(ConsentDatabase db, ConsentLedger ledger) {
    return new SubjectRights(ledger, List.of(ConsentPolicy.forPurpose(
        Purposes.MARKETING_SEGMENTATION).build()), DirectoryPseudonymizer.of(ledger),
        db.memberships(), db.requestLog());
  }

  /** The erased subject's pseudonym has no membership, and every other subject has one. */
  static void onlyTheErasedIsLeftOut(ConsentDatabase db, SegmentationRun run, String erased) {
    int registered = 0;
    for (int i = 0; i < run.assignments().size(); i++) {
      String p = run.assignments().pseudonym(i);
      if (p.equals(erased)) {
        assertThat(db.memberships().memberships(p)).as("erased subject's membership").isEmpty();
      } else {
        assertThat(db.memberships().memberships(p)).hasSize(1);
        registered++;
      }
    }
    assertThat(registered).isEqualTo(N - 1);
  }

  static void erasureBetweenRunAndRegistration(Supplier<ConsentDatabase> open) {
    try (ConsentDatabase db = open.get()) {
      ConsentLedger ledger = consenting(db);
      SegmentationRun run = run(ledger, DirectoryPseudonymizer.of(ledger));
      String erased = DirectoryPseudonymizer.of(ledger).existing(SubjectId.of("C3"))
          .orElseThrow().value();

      rights(db, ledger).erase(SubjectId.of("C3"), Fixtures.day(6), "dpo");
      db.memberships().register(run, "k-means on spend");

      onlyTheErasedIsLeftOut(db, run, erased);
    }
  }

  static void concurrentErasureAndRegistration(Supplier<ConsentDatabase> open) throws Exception {
    for (int attempt = 0; attempt < 10; attempt++) {
      try (ConsentDatabase db = open.get()) {
        ConsentLedger ledger = consenting(db);
        SegmentationRun run = run(ledger, DirectoryPseudonymizer.of(ledger));
        SubjectId victim = SubjectId.of("C" + attempt);
        String erased = DirectoryPseudonymizer.of(ledger).existing(victim).orElseThrow().value();
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<Void> register = CompletableFuture.runAsync(() -> {
          await(go);
          db.memberships().register(run, "k-means on spend");
        });
        CompletableFuture<Void> erase = CompletableFuture.runAsync(() -> {
          await(go);
          rights(db, ledger).erase(victim, Fixtures.day(6), "dpo");
        });
        go.countDown();
        register.get();
        erase.get();
        onlyTheErasedIsLeftOut(db, run, erased);
      }
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void h2(@TempDir Path dir) throws Exception {
    erasureBetweenRunAndRegistration(() -> ConsentDatabase.h2(dir.resolve("one")));
    int[] n = {0};
    concurrentErasureAndRegistration(() -> ConsentDatabase.h2(dir.resolve("c" + n[0]++)));
  }

  @Test
  void postgres() throws Exception {
    erasureBetweenRunAndRegistration(
        () -> ConsentDatabase.open(Databases.freshPostgresSchema(), "PostgreSQL test"));
    concurrentErasureAndRegistration(
        () -> ConsentDatabase.open(Databases.freshPostgresSchema(), "PostgreSQL test"));
  }

  @Test
  void aKeyedHashRunCannotBeCheckedAgainstAnErasureDuringItAndIsRefused(@TempDir Path dir) {
    try (ConsentDatabase db = ConsentDatabase.h2(dir.resolve("db"))) {
      ConsentLedger ledger = consenting(db);
      SegmentationRun run = run(ledger, Pseudonymizer.hmacSha256(KeyProvider.ephemeral()));
      rights(db, ledger).erase(SubjectId.of("C3"), Fixtures.day(6), "dpo");

      assertThatThrownBy(() -> db.memberships().register(run, "k-means on spend"))
          .isInstanceOf(ConsentException.class)
          .hasMessageContaining("a subject was erased in ")
          .hasMessageContaining("its memberships are not registered; run it again");
    }
  }
}
