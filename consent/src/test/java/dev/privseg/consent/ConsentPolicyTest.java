package dev.privseg.consent;

import static dev.privseg.consent.Fixtures.MARKETING;
import static dev.privseg.consent.Fixtures.day;
import static dev.privseg.consent.Fixtures.event;
import static dev.privseg.consent.Fixtures.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.LawfulBasis;
import dev.privseg.core.Purpose;
import dev.privseg.core.Purposes;
import dev.privseg.core.SubjectId;
import dev.privseg.core.gate.BasisDecision;
import java.time.Period;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsentPolicyTest {
  final ConsentLedger ledger = ConsentLedger.inMemory(Fixtures.KEYER);
  final ConsentPolicy marketing = ConsentPolicy.forPurpose(Purposes.MARKETING_SEGMENTATION)
      .consentExpiresAfter(Period.ofMonths(12)).directMarketing(true)
      .optOutOfSaleOrSharingExcludes(true).build();
  final ConsentGate gate = ConsentGate.of(ledger, List.of(marketing));

  BasisDecision decide(String id, int day) {
    return gate.decide(SubjectId.of(id), Purposes.MARKETING_SEGMENTATION, day(day));
  }

  @Test
  void consentInForceIsAllowedUntilItExpires() {
    ledger.append(event("a", EventType.CONSENT_GIVEN, 0));
    assertThat(decide("a", 100)).isEqualTo(BasisDecision.ALLOWED);
    assertThat(decide("a", 364)).isEqualTo(BasisDecision.ALLOWED);
    assertThat(decide("a", 365)).isEqualTo(BasisDecision.CONSENT_EXPIRED);
  }

  @Test
  void everyExclusionHasItsReason() {
    ledger.appendAll(List.of(
        event("withdrew", EventType.CONSENT_GIVEN, 0),
        event("withdrew", EventType.CONSENT_WITHDRAWN, 2),
        event("lapsed", EventType.CONSENT_GIVEN, 0),
        event("lapsed", EventType.CONSENT_EXPIRED, 2),
        event("objector", EventType.CONSENT_GIVEN, 0),
        event("objector", EventType.OBJECTION, 2),
        event("optout", EventType.CONSENT_GIVEN, 0),
        event("optout", EventType.OPT_OUT_OF_SALE_OR_SHARING, 2),
        event("restricted", EventType.CONSENT_GIVEN, 0),
        event(key("restricted"), dev.privseg.consent.ledger.ConsentEvent.ALL_PURPOSES,
            EventType.RESTRICTION, 2),
        event("erased", EventType.CONSENT_GIVEN, 0),
        event(key("erased"), dev.privseg.consent.ledger.ConsentEvent.ALL_PURPOSES,
            EventType.ERASURE, 2)));

    assertThat(decide("never", 5)).isEqualTo(BasisDecision.NO_BASIS);
    assertThat(decide("withdrew", 5)).isEqualTo(BasisDecision.CONSENT_WITHDRAWN);
    assertThat(decide("lapsed", 5)).isEqualTo(BasisDecision.CONSENT_EXPIRED);
    assertThat(decide("objector", 5)).isEqualTo(BasisDecision.OBJECTED);
    assertThat(decide("optout", 5)).isEqualTo(BasisDecision.OPTED_OUT);
    assertThat(decide("restricted", 5)).isEqualTo(BasisDecision.RESTRICTED);
    assertThat(decide("erased", 5)).isEqualTo(BasisDecision.ERASED);
    assertThat(decide("withdrew", 1)).as("the past is answerable").isEqualTo(BasisDecision.ALLOWED);
  }

  @Test
  void objectionToDirectMarketingIsAbsoluteEvenUnderLegitimateInterests() {
    Purpose newsletter = Purpose.of("newsletter", "Product news to existing customers",
        LawfulBasis.LEGITIMATE_INTERESTS);
    Purpose billing = Purpose.of("billing", "Invoicing", LawfulBasis.CONTRACT);
    ConsentGate g = ConsentGate.of(ledger, List.of(
        ConsentPolicy.forPurpose(newsletter).directMarketing(true).build(),
        ConsentPolicy.forPurpose(billing).build()));
    ledger.appendAll(List.of(event(key("x"), newsletter.id(), EventType.OBJECTION, 1),
        event(key("x"), billing.id(), EventType.OBJECTION, 1)));

    assertThat(g.decide(SubjectId.of("y"), newsletter, day(2))).isEqualTo(BasisDecision.ALLOWED);
    assertThat(g.decide(SubjectId.of("x"), newsletter, day(2))).isEqualTo(BasisDecision.OBJECTED);
    assertThat(g.decide(SubjectId.of("x"), billing, day(2)))
        .as("Art. 21(1) does not reach processing necessary for a contract")
        .isEqualTo(BasisDecision.ALLOWED);
  }

  @Test
  void aRunSnapshotSeesTheLedgerAsItWasWhenTheRunStarted() {
    ledger.appendAll(List.of(event("a", EventType.CONSENT_GIVEN, 0),
        event("b", EventType.CONSENT_GIVEN, 0), event("b", EventType.CONSENT_WITHDRAWN, 10)));
    dev.privseg.core.gate.RunGate snapshot =
        gate.forRun(Purposes.MARKETING_SEGMENTATION, day(5));
    ledger.append(event("a", EventType.OBJECTION, 3)); // recorded after the run started

    assertThat(decide("a", 5)).as("the live ledger sees the objection")
        .isEqualTo(BasisDecision.OBJECTED);
    assertThat(snapshot.decide(SubjectId.of("a")))
        .as("the run sees the ledger as it was when it started").isEqualTo(BasisDecision.ALLOWED);
    assertThat(snapshot.decide(SubjectId.of("b"))).isEqualTo(BasisDecision.ALLOWED);
    assertThat(snapshot.decide(SubjectId.of("unknown"))).isEqualTo(BasisDecision.NO_BASIS);
    assertThat(snapshot.toString()).contains("2 subjects");
  }

  @Test
  void aPurposeWithoutPolicyProcessesNobody() {
    ledger.append(event("a", EventType.CONSENT_GIVEN, 0));
    Purpose other = Purpose.of("profiling", "Profiling", LawfulBasis.CONSENT);
    assertThat(gate.decide(SubjectId.of("a"), other, day(1))).isEqualTo(BasisDecision.NO_BASIS);
  }

  @Test
  void olderNoticeVersionsDoNotCountWhenAMinimumIsSet() {
    ConsentGate strict = ConsentGate.of(ledger, List.of(ConsentPolicy
        .forPurpose(Purposes.MARKETING_SEGMENTATION).minimumNoticeVersion("notice-2026-02")
        .build()));
    ledger.append(event("a", EventType.CONSENT_GIVEN, 0)); // notice-2026-01
    assertThat(strict.decide(SubjectId.of("a"), Purposes.MARKETING_SEGMENTATION, day(1)))
        .isEqualTo(BasisDecision.NO_BASIS);
  }

  @Test
  void policyArgumentsAreCheckedEagerly() {
    assertThatThrownBy(() -> ConsentPolicy.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .consentExpiresAfter(Period.ZERO)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("consent expiry must be a positive period");
    assertThatThrownBy(() -> ConsentGate.of(ledger, List.of(marketing, marketing)))
        .hasMessageContaining("two policies for purpose 'marketing-segmentation'");
  }

  @Test
  void descriptionNamesStoreAndPurposesButNoSubject() {
    ledger.append(event("alice-secret-id", EventType.CONSENT_GIVEN, 0));
    assertThat(gate.description()).contains("in-memory ledger store", "1 events",
        "marketing-segmentation").doesNotContain("alice");
    assertThat(MARKETING.value()).isEqualTo("marketing-segmentation");
  }
}
