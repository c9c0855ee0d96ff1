package dev.privseg.consent.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.ConsentGate;
import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.Fixtures;
import dev.privseg.core.LawfulBasis;
import dev.privseg.core.Purpose;
import dev.privseg.core.PurposeId;
import dev.privseg.core.SubjectId;
import dev.privseg.core.gate.BasisDecision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The derived state against a simple reference model, for any event sequence. */
class ConsentStateProperties {
  static final PurposeId P = PurposeId.of("marketing-segmentation");

  /** One event: its type, day, and whether it is for all purposes. */
  /** One event; a consent is always for the purpose itself, never for all purposes. */
  record Step(EventType type, int day, boolean allPurposes) {
    Step {
      allPurposes &= !type.givesConsent();
    }
  }

  @Provide
  Arbitrary<Step> steps() {
    return Combinators.combine(Arbitraries.of(EventType.class), Arbitraries.integers()
        .between(0, 30), Arbitraries.of(false, false, true)).as(Step::new);
  }

  static List<ConsentEvent> ledgerOf(List<Step> steps) {
    ConsentLedger ledger = ConsentLedger.inMemory(Fixtures.KEYER);
    for (Step s : steps) {
      ledger.append(Fixtures.event(Fixtures.key("x"), s.allPurposes()
          ? ConsentEvent.ALL_PURPOSES : P, s.type(), s.day()));
    }
    return ledger.history(Fixtures.key("x"));
  }

  /** What the reference model tracks. */
  record Reference(boolean consent, boolean objected, boolean optedOut, boolean restricted,
      boolean erased) {}

  /** The reference: replay in order of effect; the last word of each kind counts. */
  static Reference reference(List<ConsentEvent> history, Instant at) {
    boolean consent = false;
    boolean objected = false;
    boolean optedOut = false;
    boolean restricted = false;
    boolean erased = false;
    for (ConsentEvent e : history) {
      if (e.occurredAt().isAfter(at) || erased) {
        continue;
      }
      switch (e.type()) {
        case CONSENT_GIVEN, EXPLICIT_CONSENT_GIVEN -> consent = true;
        case CONSENT_WITHDRAWN, CONSENT_EXPIRED -> consent = false;
        case OBJECTION -> objected = true;
        case OBJECTION_WITHDRAWN -> objected = false;
        case OPT_OUT_OF_SALE_OR_SHARING -> optedOut = true;
        case OPT_IN_TO_SALE_OR_SHARING -> optedOut = false;
        case RESTRICTION -> restricted = true;
        case RESTRICTION_LIFTED -> restricted = false;
        case ERASURE -> erased = true;
        default -> { }
      }
    }
    return new Reference(consent && !erased, objected, optedOut, restricted, erased);
  }

  @Property(tries = 400)
  void derivedStateMatchesTheReferenceModel(
      @ForAll @Size(max = 12) List<@From("steps") Step> steps,
      @ForAll @IntRange(min = 0, max = 31) int atDay) {
    List<ConsentEvent> history = ledgerOf(steps);
    Instant at = Fixtures.day(atDay);

    ConsentState actual = ConsentState.fold(history, at);
    Reference expected = reference(history, at);

    assertThat(actual.hasConsent()).isEqualTo(expected.consent());
    assertThat(actual.erased()).isEqualTo(expected.erased());
    if (!actual.erased()) {
      assertThat(actual.objected()).isEqualTo(expected.objected());
      assertThat(actual.optedOut()).isEqualTo(expected.optedOut());
      assertThat(actual.restricted()).isEqualTo(expected.restricted());
    }
  }

  @Property(tries = 200)
  void withdrawalAlwaysWinsOverAnEarlierGrant(
      @ForAll @Size(max = 8) List<@From("steps") Step> before,
      @ForAll @IntRange(min = 0, max = 30) int grantDay,
      @ForAll @IntRange(min = 0, max = 30) int gap) {
    List<Step> steps = new ArrayList<>(before);
    steps.add(new Step(EventType.CONSENT_GIVEN, grantDay, false));
    int withdrawDay = Math.min(60, grantDay + gap);
    steps.add(new Step(EventType.CONSENT_WITHDRAWN, withdrawDay, false));
    List<ConsentEvent> history = ledgerOf(steps);
    boolean grantedLater = false;
    for (Step s : before) {
      grantedLater |= s.day() > withdrawDay && (s.type() == EventType.CONSENT_GIVEN
          || s.type() == EventType.EXPLICIT_CONSENT_GIVEN);
    }
    if (!grantedLater) {
      assertThat(ConsentState.fold(history, Fixtures.day(withdrawDay)).hasConsent()).isFalse();
      assertThat(ConsentState.fold(history, Fixtures.day(61)).hasConsent()).isFalse();
    }
  }

  @Property(tries = 200)
  void noSubjectWithAnObjectionOrErasurePassesTheGate(
      @ForAll @Size(max = 10) List<@From("steps") Step> steps,
      @ForAll boolean erase, @ForAll @IntRange(min = 0, max = 30) int day,
      @ForAll("bases") LawfulBasis basis) {
    ConsentLedger ledger = ConsentLedger.inMemory(Fixtures.KEYER);
    Purpose purpose = Purpose.of(P.value(), "Offers", basis);
    for (Step s : steps) {
      ledger.append(Fixtures.event(Fixtures.key("y"), s.allPurposes() ? ConsentEvent.ALL_PURPOSES
          : P, s.type(), s.day()));
    }
    ledger.append(Fixtures.event(Fixtures.key("y"), erase ? ConsentEvent.ALL_PURPOSES : P,
        erase ? EventType.ERASURE : EventType.OBJECTION, day));
    ConsentGate gate = ConsentGate.of(ledger, List.of(ConsentPolicy.forPurpose(purpose)
        .directMarketing(true).build()));
    boolean liftedLater = !erase && steps.stream().anyMatch(s -> s.day() > day
        && s.type() == EventType.OBJECTION_WITHDRAWN);
    if (!liftedLater) {
      BasisDecision d = gate.decide(SubjectId.of("y"), purpose, Fixtures.day(31));
      assertThat(d.isAllowed()).as("%s after %s", d, erase ? "erasure" : "objection").isFalse();
    }
  }

  @Provide
  Arbitrary<LawfulBasis> bases() {
    return Arbitraries.of(LawfulBasis.class);
  }
}
