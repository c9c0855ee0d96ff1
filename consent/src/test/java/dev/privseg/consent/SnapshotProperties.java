package dev.privseg.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.directory.InMemorySubjectDirectory;
import dev.privseg.consent.ledger.ConsentEvent;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.consent.store.InMemoryLedgerStore;
import dev.privseg.core.LawfulBasis;
import dev.privseg.core.Purpose;
import dev.privseg.core.PurposeId;
import dev.privseg.core.Purposes;
import dev.privseg.core.SubjectId;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.gate.BasisDecisions;
import dev.privseg.core.gate.LawfulBasisGate;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A run's snapshot decides every subject exactly as the live gate does, whatever the events:
 * many per subject, recorded out of time order, with ties in time, for other purposes and for all
 * purposes, erasures, with and without a subject directory, under consent and under legitimate
 * interests. The snapshot is built from a narrow scan grouped in primitive arrays; the live gate
 * reads each subject's history and folds it, so the two share nothing but the policy.
 */
class SnapshotProperties {
  static final Purpose NEWSLETTER = Purpose.of("newsletter", "Product news to customers",
      LawfulBasis.LEGITIMATE_INTERESTS);
  static final EventType[] TYPES = EventType.values();

  @Property(tries = 80)
  void theSnapshotDecidesEverySubjectAsTheLiveGate(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 40) int subjects,
      @ForAll @IntRange(min = 0, max = 70) int maxEvents,
      @ForAll @IntRange(min = 0, max = 60) int atDay,
      @ForAll boolean directory, @ForAll boolean legitimateInterests) {
    ConsentLedger ledger = directory
        ? ConsentLedger.open(new InMemoryLedgerStore(), Fixtures.KEYER,
            new InMemorySubjectDirectory())
        : ConsentLedger.inMemory(Fixtures.KEYER);
    assertSnapshotMatchesLiveGate(ledger, new SplittableRandom(seed), subjects, maxEvents,
        Fixtures.day(atDay), legitimateInterests ? NEWSLETTER : Purposes.MARKETING_SEGMENTATION);
  }

  /**
   * Records random histories for {@code subjects} subjects (up to {@code maxEvents} each; a
   * tenth of them erased, another tenth never recorded) and checks the snapshot of {@code purpose}
   * at {@code at} against the live gate, row by row.
   */
  static void assertSnapshotMatchesLiveGate(ConsentLedger ledger, SplittableRandom random,
      int subjects, int maxEvents, Instant at, Purpose purpose) {
    List<EventDraft> drafts = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int s = 0; s < subjects; s++) {
      String id = "S" + s;
      ids.add(id);
      if (random.nextInt(10) == 0) {
        continue; // unknown to the ledger
      }
      int events = random.nextInt(maxEvents + 1);
      SubjectKey key = ledger.keyOf(SubjectId.of(id));
      for (int e = 0; e < events; e++) {
        int pick = random.nextInt(12);
        EventType type = TYPES[random.nextInt(TYPES.length)];
        if (type == EventType.ERASURE && random.nextInt(10) != 0) {
          type = EventType.CONSENT_GIVEN; // erasure is terminal: keep it rare
        }
        PurposeId p = pick == 0 && !type.givesConsent() ? ConsentEvent.ALL_PURPOSES
            : pick == 1 ? PurposeId.of("other") : purpose.id();
        drafts.add(new EventDraft(key, p, type,
            Fixtures.day(random.nextInt(60)), EventSource.API, "notice-" + random.nextInt(3),
            "property", ""));
      }
    }
    if (!drafts.isEmpty()) {
      ledger.appendAll(drafts);
    }
    for (String id : ids) {
      if (random.nextInt(10) == 0) {
        ledger.erase(SubjectId.of(id), Fixtures.day(random.nextInt(60)), "property");
      }
    }
    ConsentGate gate = ConsentGate.of(ledger, List.of(ConsentPolicy.forPurpose(purpose)
        .consentExpiresAfter(Period.ofDays(20)).directMarketing(random.nextBoolean())
        .optOutOfSaleOrSharingExcludes(random.nextBoolean())
        .minimumNoticeVersion("notice-1").build()));
    ids.add("never-recorded");
    StringColumn column = StringColumn.of(SnapshotDecideAllTest.ID, ids.toArray(String[]::new));

    dev.privseg.core.gate.RunGate snapshot = gate.forRun(purpose, at);
    BasisDecisions out = new BasisDecisions(column.size());
    snapshot.decideAll(column, out);
    for (int r = 0; r < ids.size(); r++) {
      assertThat(out.get(r)).as("subject %s", ids.get(r))
          .isEqualTo(gate.decide(SubjectId.of(ids.get(r)), purpose, at));
    }
  }
}
