package dev.privseg.consent.ledger;

import static dev.privseg.consent.Fixtures.MARKETING;
import static dev.privseg.consent.Fixtures.day;
import static dev.privseg.consent.Fixtures.event;
import static dev.privseg.consent.Fixtures.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.Fixtures;
import dev.privseg.core.PurposeId;
import dev.privseg.core.SubjectId;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsentStateTest {
  final ConsentLedger ledger = ConsentLedger.inMemory(Fixtures.KEYER);

  @Test
  void withdrawalTakesEffectFromItsInstantAndThePastStaysAnswerable() {
    ledger.appendAll(List.of(event("alice", EventType.CONSENT_GIVEN, 10),
        event("alice", EventType.CONSENT_WITHDRAWN, 20)));

    assertThat(ledger.state(key("alice"), MARKETING, day(5)).hasConsent()).isFalse();
    assertThat(ledger.state(key("alice"), MARKETING, day(10)).hasConsent()).isTrue();
    assertThat(ledger.state(key("alice"), MARKETING, day(19)).hasConsent()).isTrue();
    ConsentState after = ledger.state(key("alice"), MARKETING, day(20));
    assertThat(after.hasConsent()).isFalse();
    assertThat(after.withdrawn()).isTrue();
    assertThat(after.everConsented()).isTrue();
  }

  @Test
  void eventsRecordedLateAreAppliedInOrderOfEffect() {
    ledger.append(event("bob", EventType.CONSENT_WITHDRAWN, 30));
    ledger.append(event("bob", EventType.CONSENT_GIVEN, 10)); // back-filled from paper records

    assertThat(ledger.state(key("bob"), MARKETING, day(15)).hasConsent()).isTrue();
    assertThat(ledger.state(key("bob"), MARKETING, day(31)).withdrawn()).isTrue();
  }

  @Test
  void consentIsPerPurposeButAllPurposeEventsApplyEverywhere() {
    PurposeId analytics = PurposeId.of("analytics");
    ledger.appendAll(List.of(event("carol", EventType.CONSENT_GIVEN, 1),
        event(key("carol"), analytics, EventType.CONSENT_GIVEN, 1),
        event(key("carol"), ConsentEvent.ALL_PURPOSES, EventType.RESTRICTION, 5)));

    assertThat(ledger.state(key("carol"), MARKETING, day(2)).restricted()).isFalse();
    assertThat(ledger.state(key("carol"), MARKETING, day(6)).restricted()).isTrue();
    assertThat(ledger.state(key("carol"), analytics, day(6)).restricted()).isTrue();
    assertThat(ledger.state(key("dave"), MARKETING, day(6))).isEqualTo(ConsentState.UNKNOWN);
  }

  @Test
  void erasureIsTerminal() {
    ledger.appendAll(List.of(event("erin", EventType.CONSENT_GIVEN, 1),
        event(key("erin"), ConsentEvent.ALL_PURPOSES, EventType.ERASURE, 3),
        event("erin", EventType.CONSENT_GIVEN, 4)));

    ConsentState s = ledger.state(key("erin"), MARKETING, day(10));
    assertThat(s.erased()).isTrue();
    assertThat(s.hasConsent()).isFalse();
  }

  @Test
  void objectionsAndOptOutsCanBeLifted() {
    ledger.appendAll(List.of(event("fay", EventType.OBJECTION, 1),
        event("fay", EventType.OPT_OUT_OF_SALE_OR_SHARING, 1),
        event("fay", EventType.OBJECTION_WITHDRAWN, 5),
        event("fay", EventType.OPT_IN_TO_SALE_OR_SHARING, 6)));

    assertThat(ledger.state(key("fay"), MARKETING, day(3)).objected()).isTrue();
    assertThat(ledger.state(key("fay"), MARKETING, day(3)).optedOut()).isTrue();
    assertThat(ledger.state(key("fay"), MARKETING, day(7)).objected()).isFalse();
    assertThat(ledger.state(key("fay"), MARKETING, day(7)).optedOut()).isFalse();
  }

  @Test
  void keysAreStableKeyedAndRedacted() {
    SubjectKey a = Fixtures.KEYER.key(SubjectId.of("C1"));
    assertThat(Fixtures.KEYER.key(SubjectId.of("C1"))).isEqualTo(a);
    assertThat(Fixtures.KEYER.key(SubjectId.of("C2"))).isNotEqualTo(a);
    SubjectKeyer other = SubjectKeyer.from(dev.privseg.core.pseudonymize.KeyProvider.ephemeral());
    assertThat(other.key(SubjectId.of("C1"))).isNotEqualTo(a);
    assertThat(a.toString()).isEqualTo("SubjectKey[redacted]");
    assertThat(a.hex()).hasSize(32);
  }
}
