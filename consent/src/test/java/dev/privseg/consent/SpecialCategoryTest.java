package dev.privseg.consent;

import static dev.privseg.consent.Fixtures.day;
import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.SubjectId;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.pipeline.RunOptions;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.release.SegmentProfile;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.kmeans.KMeans;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GDPR Art. 9(2)(a): special categories only for subjects with explicit consent. */
class SpecialCategoryTest {
  static final Schema SCHEMA = Schema.builder().subjectId("id")
      .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
      .categorical("religion", PrivacyRole.SPECIAL_CATEGORY, "none", "some")
      .build();

  @Test
  void onlyExplicitConsentUnlocksASpecialCategory() {
    ConsentLedger ledger = ConsentLedger.inMemory(Fixtures.KEYER);
    DatasetBuilder b = Dataset.builder(SCHEMA);
    for (int i = 0; i < 40; i++) {
      b.setText(0, "S" + i);
      b.setNumber(1, i);
      b.setText(2, "some");
      b.endRow();
      // Subjects 0..9 gave explicit consent, 10..29 ordinary consent, 30..39 explicit then
      // withdrew it.
      EventType type = i < 10 || i >= 30 ? EventType.EXPLICIT_CONSENT_GIVEN
          : EventType.CONSENT_GIVEN;
      ledger.append(Fixtures.event("S" + i, type, 1));
      if (i >= 30) {
        ledger.append(Fixtures.event("S" + i, EventType.CONSENT_WITHDRAWN, 2));
      }
    }
    ConsentPolicy policy = ConsentPolicy.forPurpose(Purposes.MARKETING_SEGMENTATION).build();

    SegmentationRun run = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(ConsentGate.of(ledger, List.of(policy)))
        .minimize(m -> m.keep("spend").keepSpecialCategory("religion"))
        .pseudonymize("id", Pseudonymizer.hmacSha256(KeyProvider.ephemeral()))
        .segmentWith(KMeans.clusters(2).seed(1))
        .releaseProfiles(p -> p.minSegmentSize(1))
        .build().run(b.build(), RunOptions.defaults().at(day(3)));

    assertThat(run.report().counts().processedRows()).isEqualTo(30);
    assertThat(run.report().counts().specialCategoryWithheld()).isEqualTo(20);
    long withReligion = 0;
    for (SegmentProfile p : run.profiles().released()) {
      for (SegmentProfile.CategoryShares c : p.categorical()) {
        withReligion += Math.round(c.shares().getOrDefault("some", 0.0) * p.size());
      }
    }
    assertThat(withReligion).as("only the ten explicit consents carry the value").isEqualTo(10);
  }

  /**
   * The explicit-consent check reads the run's snapshot, like the gate itself: an event recorded
   * after the run started changes neither (it read the live ledger row by row, seeing events
   * the gate had not seen, and took seconds for thousands of rows on a database).
   */
  @Test
  void explicitConsentIsDecidedFromTheRunsSnapshotInOnePass() {
    for (boolean directory : new boolean[] {false, true}) {
      ConsentLedger ledger = directory
          ? ConsentLedger.open(new dev.privseg.consent.store.InMemoryLedgerStore(),
              Fixtures.KEYER, new dev.privseg.consent.directory.InMemorySubjectDirectory())
          : ConsentLedger.inMemory(Fixtures.KEYER);
      List<String> ids = List.of("E1", "E2", "P1", "X1", "unknown");
      ledger.append(Fixtures.event(ledger.keyOf(SubjectId.of("E1")), Fixtures.MARKETING,
          EventType.EXPLICIT_CONSENT_GIVEN, 1));
      ledger.append(Fixtures.event(ledger.keyOf(SubjectId.of("E2")), Fixtures.MARKETING,
          EventType.EXPLICIT_CONSENT_GIVEN, 1));
      ledger.append(Fixtures.event(ledger.keyOf(SubjectId.of("P1")), Fixtures.MARKETING,
          EventType.CONSENT_GIVEN, 1));
      ledger.append(Fixtures.event(ledger.keyOf(SubjectId.of("X1")), Fixtures.MARKETING,
          EventType.EXPLICIT_CONSENT_GIVEN, 1));
      ledger.append(Fixtures.event(ledger.keyOf(SubjectId.of("X1")), Fixtures.MARKETING,
          EventType.OBJECTION, 1));
      ConsentGate gate = ConsentGate.of(ledger, List.of(
          ConsentPolicy.forPurpose(Purposes.MARKETING_SEGMENTATION).build()));
      dev.privseg.core.gate.RunGate snapshot =
          gate.forRun(Purposes.MARKETING_SEGMENTATION, day(3));

      // Recorded after the run started, taking effect before the run's instant.
      ledger.append(Fixtures.event(ledger.keyOf(SubjectId.of("E2")), Fixtures.MARKETING,
          EventType.CONSENT_WITHDRAWN, 2));
      ledger.append(Fixtures.event(ledger.keyOf(SubjectId.of("P1")), Fixtures.MARKETING,
          EventType.EXPLICIT_CONSENT_GIVEN, 2));

      boolean[] explicit = new boolean[ids.size()];
      snapshot.explicitConsentAll(idColumn(ids), explicit);
      assertThat(explicit).as("directory " + directory)
          .containsExactly(true, true, false, false, false);
    }
  }

  private static dev.privseg.core.dataset.StringColumn idColumn(List<String> ids) {
    DatasetBuilder b = Dataset.builder(SCHEMA);
    for (String id : ids) {
      b.setText(0, id);
      b.setNumber(1, 0);
      b.setText(2, "none");
      b.endRow();
    }
    return b.build().column("id", dev.privseg.core.dataset.StringColumn.class);
  }
}
