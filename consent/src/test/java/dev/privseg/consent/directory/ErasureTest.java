package dev.privseg.consent.directory;

import static dev.privseg.consent.Fixtures.day;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.consent.ConsentException;
import dev.privseg.consent.ConsentGate;
import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.Fixtures;
import dev.privseg.consent.ledger.ConsentEvent;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.rights.MembershipRegistry;
import dev.privseg.consent.rights.RequestLog;
import dev.privseg.consent.rights.SubjectRights;
import dev.privseg.consent.store.InMemoryLedgerStore;
import dev.privseg.core.LawfulBasis;
import dev.privseg.core.Purpose;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.SubjectId;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.pipeline.RunOptions;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.kmeans.KMeans;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Erasure through a subject directory: the subject is excluded from every later run whatever the
 * basis, its earlier events name no one, and its pseudonyms in earlier outputs cannot be linked.
 */
class ErasureTest {
  static final Purpose NEWSLETTER = Purpose.of("newsletter", "Product news to customers",
      LawfulBasis.LEGITIMATE_INTERESTS);
  static final Schema SCHEMA = Schema.builder().subjectId("id")
      .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER).build();

  final InMemorySubjectDirectory directory = new InMemorySubjectDirectory();
  final ConsentLedger ledger = ConsentLedger.open(new InMemoryLedgerStore(), Fixtures.KEYER,
      directory);
  final DirectoryPseudonymizer pseudonyms = DirectoryPseudonymizer.of(ledger);
  final ConsentPolicy marketing = ConsentPolicy.forPurpose(Purposes.MARKETING_SEGMENTATION)
      .directMarketing(true).build();
  final ConsentPolicy newsletter = ConsentPolicy.forPurpose(NEWSLETTER).build();
  final MembershipRegistry registry = MembershipRegistry.inMemory();
  final RequestLog log = RequestLog.inMemory();
  final SubjectRights rights = new SubjectRights(ledger, List.of(marketing, newsletter),
      pseudonyms, registry, log);

  Dataset customers() {
    DatasetBuilder b = Dataset.builder(SCHEMA);
    for (int i = 0; i < 30; i++) {
      b.setText(0, "C" + i);
      b.setNumber(1, i * 10);
      b.endRow();
    }
    return b.build();
  }

  SegmentationRun run(Purpose purpose, int atDay) {
    return Segmentation.forPurpose(purpose)
        .lawfulBasis(ConsentGate.of(ledger, List.of(marketing, newsletter)))
        .minimize(m -> m.keep("spend"))
        .pseudonymize("id", pseudonyms)
        .segmentWith(KMeans.clusters(2).seed(1))
        .releaseProfiles(p -> p.minSegmentSize(1))
        .build().run(customers(), RunOptions.defaults().at(day(atDay)));
  }

  @Test
  void erasedSubjectsAreUnlinkableAndExcludedFromEveryLaterRun() {
    List<EventDraft> consents = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      consents.add(new EventDraft(ledger.keyOf(SubjectId.of("C" + i)),
          Purposes.MARKETING_SEGMENTATION.id(), EventType.CONSENT_GIVEN, day(1),
          EventSource.WEB_FORM, "notice-1", "signup", ""));
    }
    ledger.appendAll(consents);
    SegmentationRun before = run(Purposes.MARKETING_SEGMENTATION, 2);
    registry.register(before, "spend segments");
    String oldPseudonym = pseudonyms.pseudonymize(SubjectId.of("C7")).value();
    var oldKey = ledger.keyOf(SubjectId.of("C7"));
    assertThat(before.assignments().size()).isEqualTo(30);

    rights.erase(SubjectId.of("C7"), day(3), "dpo-desk");

    // Excluded from every later run, whatever the purpose's basis.
    SegmentationRun marketingAfter = run(Purposes.MARKETING_SEGMENTATION, 4);
    SegmentationRun newsletterAfter = run(NEWSLETTER, 4);
    assertThat(marketingAfter.report().counts().excludedByGate()).containsEntry("ERASED", 1L);
    assertThat(newsletterAfter.report().counts().excludedByGate()).containsEntry("ERASED", 1L);
    assertThat(newsletterAfter.assignments().size()).isEqualTo(29);

    // The events stay in the chain, under a key nothing maps to any more.
    assertThat(ledger.history(oldKey)).extracting(ConsentEvent::type)
        .containsExactly(EventType.CONSENT_GIVEN, EventType.ERASURE);
    assertThat(ledger.verify().intact()).isTrue();
    assertThat(ledger.existingKeyOf(SubjectId.of("C7"))).isEmpty();
    List<String> livePseudonyms = new ArrayList<>();
    directory.forEach((lookup, entry) -> {
      livePseudonyms.add(entry.pseudonym());
      assertThat(entry.ledgerKey()).isNotEqualTo(oldKey);
    });
    assertThat(livePseudonyms).hasSize(29).doesNotContain(oldPseudonym);
    assertThat(registry.memberships(oldPseudonym)).isEmpty();

    // Nothing more is recorded or produced about the subject.
    assertThatThrownBy(() -> ledger.keyOf(SubjectId.of("C7")))
        .isInstanceOf(ConsentException.class).hasMessageNotContaining("C7");
    assertThatThrownBy(() -> pseudonyms.pseudonymize(SubjectId.of("C7")))
        .isInstanceOf(ConsentException.class);
    assertThat(rights.access(SubjectId.of("C7"), day(5), "dpo-desk").events()).isEmpty();
  }

  @Test
  void askingAboutASubjectNeverSeenCreatesNothingAndReportsNothingHeld() {
    SubjectId stranger = SubjectId.of("C999");

    var export = rights.access(stranger, day(5), "dpo-desk");
    rights.rectify(stranger, "email", day(5), "dpo-desk");

    assertThat(export.events()).isEmpty();
    assertThat(export.pseudonyms()).as("no pseudonym is issued by asking").isEmpty();
    assertThat(export.states().get("marketing-segmentation").decision()).isEqualTo("NO_BASIS");
    assertThat(pseudonyms.existing(stranger)).isEmpty();
    List<SubjectId> entries = new ArrayList<>();
    directory.forEach((lookup, entry) -> entries.add(stranger));
    assertThat(entries).as("the directory holds no entry for the stranger").isEmpty();
    assertThat(log.requests()).hasSize(2);
    assertThat(log.requests().get(0).outcome()).contains("0 pseudonyms");

    // Erasing someone never seen leaves a tombstone, so a later import cannot bring them in.
    rights.erase(stranger, day(6), "dpo-desk");

    assertThat(ledger.isErased(stranger)).isTrue();
    assertThat(log.requests().get(2).outcome()).contains("no keys were held");
  }

  @Test
  void pseudonymsAreRandomAndStableUntilErasure() {
    String a = pseudonyms.pseudonymize(SubjectId.of("A")).value();
    assertThat(pseudonyms.pseudonymize(SubjectId.of("A")).value()).isEqualTo(a);
    assertThat(pseudonyms.pseudonymize(SubjectId.of("B")).value()).isNotEqualTo(a);
    DirectoryPseudonymizer other = DirectoryPseudonymizer.of(ConsentLedger.open(
        new InMemoryLedgerStore(), Fixtures.KEYER, new InMemorySubjectDirectory()));
    assertThat(other.pseudonymize(SubjectId.of("A")).value())
        .as("not a function of the identifier and key").isNotEqualTo(a);
    assertThat(pseudonyms.description()).contains("deleted on erasure");
  }

  @Test
  void listsGetTheKeysAndPseudonymsSubjectsGetOneByOne() {
    List<SubjectId> subjects = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      subjects.add(SubjectId.of("C" + i));
    }
    subjects.add(SubjectId.of("C3")); // twice in one list

    List<dev.privseg.core.pseudonymize.Pseudonym> all = pseudonyms.pseudonymizeAll(subjects);
    var keys = ledger.keysOf(subjects);
    for (int i = 0; i < subjects.size(); i++) {
      assertThat(all.get(i)).isEqualTo(pseudonyms.pseudonymize(subjects.get(i)));
      assertThat(keys.get(i)).contains(ledger.keyOf(subjects.get(i)));
    }
    assertThat(all.get(20)).isEqualTo(all.get(3));

    ledger.erase(SubjectId.of("C7"), day(5), "dpo");
    assertThat(ledger.keysOf(subjects).get(7)).as("an erased subject gets no key").isEmpty();
    assertThat(ledger.keysOf(subjects).get(8)).isEqualTo(keys.get(8));
    assertThatThrownBy(() -> pseudonyms.pseudonymizeAll(subjects))
        .isInstanceOf(ConsentException.class)
        .hasMessage("subject 7 of the list was erased: it has no pseudonym");
  }

  @Test
  void pseudonymsByLookupKeyAreTheSubjectsOwnAndErasedOnesHaveNone() {
    dev.privseg.consent.ledger.SubjectKeyer keyer = Fixtures.KEYER;
    var a = keyer.key(SubjectId.of("A"));
    var fresh = keyer.key(SubjectId.of("never-seen"));
    String ofA = pseudonyms.pseudonymize(SubjectId.of("A")).value();
    ledger.erase(SubjectId.of("E"), day(1), "dpo");
    var issued = pseudonyms.pseudonymsOf(List.of(a, fresh, keyer.key(SubjectId.of("E")), fresh));
    assertThat(issued.get(0)).map(dev.privseg.core.pseudonymize.Pseudonym::value).contains(ofA);
    assertThat(issued.get(1)).as("issued on first ask, as by identifier")
        .isEqualTo(pseudonyms.existing(SubjectId.of("never-seen")))
        .isEqualTo(issued.get(3));
    assertThat(issued.get(2)).as("erased").isEmpty();
    DirectoryPseudonymizer.LookupKeyer lookups = pseudonyms.lookupKeyer();
    assertThat(lookups.keyId()).isEqualTo(keyer.keyId());
    assertThat(lookups.scheme()).isEqualTo(keyer.scheme());
    assertThat(lookups.checkValue()).isEqualTo(keyer.checkValue());
  }
}
