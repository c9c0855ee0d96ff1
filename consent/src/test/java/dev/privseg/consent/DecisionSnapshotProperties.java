package dev.privseg.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.ledger.ConsentEvent;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.core.PurposeId;
import dev.privseg.core.Purposes;
import dev.privseg.core.SubjectId;
import dev.privseg.core.gate.BasisDecision;
import dev.privseg.core.gate.RunGate;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A gate's snapshot as data decides every subject as the run's gate does: a subject's lookup key
 * found among the entries (compared on their 123 bits) gives the run's decision and explicit
 * consent; a subject not listed gets the snapshot's unknown decision, as the run's gate does.
 */
class DecisionSnapshotProperties {

  @Property(tries = 40)
  void theSnapshotDecidesEverySubjectAsTheRunsGate(
      @ForAll @IntRange(min = 0, max = 80) int subjects, @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 400) int atDay, @ForAll boolean withPolicy) {
    SplittableRandom random = new SplittableRandom(seed);
    ConsentLedger ledger = ConsentLedger.inMemory(Fixtures.KEYER);
    List<EventDraft> drafts = new ArrayList<>();
    EventType[] types = EventType.values();
    for (int s = 0; s < subjects; s++) {
      for (int e = random.nextInt(5); e > 0; e--) {
        EventType type = types[random.nextInt(types.length)];
        PurposeId purpose = random.nextInt(6) == 0 && !type.givesConsent()
            ? ConsentEvent.ALL_PURPOSES : Purposes.MARKETING_SEGMENTATION.id();
        drafts.add(new EventDraft(Fixtures.key("S" + s), purpose, type,
            Fixtures.day(random.nextInt(400)), EventSource.API, "", "property", ""));
      }
    }
    if (!drafts.isEmpty()) {
      ledger.appendAll(drafts);
    }
    ConsentPolicy policy = ConsentPolicy.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .consentExpiresAfter(Period.ofDays(200)).build();
    ConsentGate gate = ConsentGate.of(ledger, withPolicy ? List.of(policy) : List.of());
    Instant at = Fixtures.day(atDay);
    DecisionSnapshot snapshot = gate.snapshot(Purposes.MARKETING_SEGMENTATION, at);
    RunGate run = gate.forRun(Purposes.MARKETING_SEGMENTATION, at);

    Map<List<Long>, BasisDecision> decisions = new HashMap<>();
    Map<List<Long>, Boolean> explicit = new HashMap<>();
    snapshot.forEach((high, low, decision, isExplicit) -> {
      decisions.put(List.of(high, low), decision);
      explicit.put(List.of(high, low), isExplicit);
    });
    assertThat(decisions).hasSize(snapshot.size());
    assertThat(snapshot.keyCheckValue()).isEqualTo(Fixtures.KEYER.checkValue());
    for (int s = 0; s < subjects + 5; s++) { // five the ledger never heard of
      SubjectKey key = Fixtures.KEYER.key(SubjectId.of("S" + s));
      List<Long> k = List.of(DecisionSnapshot.comparableHigh(key.high()), key.low());
      BasisDecision fromData = decisions.getOrDefault(k, snapshot.unknown());
      assertThat(fromData).as("subject %s", s)
          .isEqualTo(run.decide(SubjectId.of("S" + s)));
      boolean[] runExplicit = new boolean[1];
      run.explicitConsentAll(dev.privseg.core.dataset.StringColumn.of(
          new dev.privseg.core.schema.Field("id", dev.privseg.core.schema.FieldType.IDENTIFIER,
              dev.privseg.core.schema.PrivacyRole.DIRECT_IDENTIFIER, true, List.of()),
          new String[] {"S" + s}), runExplicit);
      assertThat(explicit.getOrDefault(k, false)).isEqualTo(runExplicit[0]);
    }
  }

  /**
   * A fold sent elsewhere (serialized) and given each subject's events in any order decides every
   * subject as the run's gate does, explicit consent included, and reads nothing appended after
   * it was made.
   */
  @Property(tries = 40)
  void theFoldDecidesEverySubjectAsTheRunsGateFromItsEventsInAnyOrder(
      @ForAll @IntRange(min = 0, max = 60) int subjects, @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 400) int atDay, @ForAll boolean withPolicy)
      throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    ConsentLedger ledger = ConsentLedger.inMemory(Fixtures.KEYER);
    appendRandom(ledger, subjects, random);
    ConsentPolicy policy = ConsentPolicy.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .consentExpiresAfter(Period.ofDays(200)).minimumNoticeVersion("v2").build();
    ConsentGate gate = ConsentGate.of(ledger, withPolicy ? List.of(policy) : List.of());
    Instant at = Fixtures.day(atDay);
    RunGate run = gate.forRun(Purposes.MARKETING_SEGMENTATION, at);
    DecisionFold made = gate.fold(Purposes.MARKETING_SEGMENTATION, at);
    appendRandom(ledger, subjects, random); // after the fold: not read

    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(made);
    }
    DecisionFold fold;
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
        new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      fold = (DecisionFold) in.readObject();
    }
    assertThat(fold.keyCheckValue()).isEqualTo(Fixtures.KEYER.checkValue());
    assertThat(fold.purpose()).isEqualTo(Purposes.MARKETING_SEGMENTATION);
    Map<List<Long>, List<ConsentEvent>> bySubject = new HashMap<>();
    ledger.scan(e -> {
      if (e.sequence() <= fold.upToSequence() && fold.concerns(e.purpose().value(), e.type())
          && !e.occurredAt().isAfter(fold.at())) {
        bySubject.computeIfAbsent(List.of(e.subject().high(), e.subject().low()),
            k -> new ArrayList<>()).add(e);
      }
    });
    for (int s = 0; s < subjects + 5; s++) { // five the ledger never heard of
      SubjectKey key = Fixtures.KEYER.key(SubjectId.of("S" + s));
      List<ConsentEvent> events = new ArrayList<>(bySubject.getOrDefault(
          List.of(key.high(), key.low()), List.of()));
      java.util.Collections.shuffle(events, new java.util.Random(random.nextLong()));
      BasisDecision decision = fold.unknown();
      boolean explicit = false;
      if (!events.isEmpty()) {
        DecisionFold.Subject subject = fold.subject();
        events.forEach(e -> subject.add(e.sequence(), e.type(), e.occurredAt().toEpochMilli(),
            e.noticeVersion()));
        decision = subject.decision();
        explicit = subject.explicitConsent();
      }
      assertThat(decision).as("subject %s", s).isEqualTo(run.decide(SubjectId.of("S" + s)));
      boolean[] runExplicit = new boolean[1];
      run.explicitConsentAll(dev.privseg.core.dataset.StringColumn.of(
          new dev.privseg.core.schema.Field("id", dev.privseg.core.schema.FieldType.IDENTIFIER,
              dev.privseg.core.schema.PrivacyRole.DIRECT_IDENTIFIER, true, List.of()),
          new String[] {"S" + s}), runExplicit);
      assertThat(explicit).as("subject %s", s).isEqualTo(runExplicit[0]);
    }
  }

  /**
   * Up to four events per subject, on three days (so that events take effect at the same
   * instant, where only ledger order decides), half of them of types that undo each other.
   */
  private static void appendRandom(ConsentLedger ledger, int subjects, SplittableRandom random) {
    List<EventDraft> drafts = new ArrayList<>();
    EventType[] types = EventType.values();
    EventType[] undoing = {EventType.CONSENT_GIVEN, EventType.CONSENT_WITHDRAWN,
        EventType.EXPLICIT_CONSENT_GIVEN, EventType.OBJECTION, EventType.OBJECTION_WITHDRAWN};
    for (int s = 0; s < subjects; s++) {
      for (int e = random.nextInt(5); e > 0; e--) {
        EventType type = random.nextBoolean() ? undoing[random.nextInt(undoing.length)]
            : types[random.nextInt(types.length)];
        PurposeId purpose = switch (random.nextInt(8)) {
          case 0 -> type.givesConsent() ? Purposes.MARKETING_SEGMENTATION.id()
              : ConsentEvent.ALL_PURPOSES;
          case 1 -> PurposeId.of("another-purpose");
          default -> Purposes.MARKETING_SEGMENTATION.id();
        };
        drafts.add(new EventDraft(Fixtures.key("S" + s), purpose, type,
            Fixtures.day(random.nextInt(3) * 150), EventSource.API, "v" + random.nextInt(4),
            "property", ""));
      }
    }
    if (!drafts.isEmpty()) {
      ledger.appendAll(drafts);
    }
  }
}
