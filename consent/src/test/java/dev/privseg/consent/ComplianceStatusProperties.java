package dev.privseg.consent;

import static dev.privseg.consent.Fixtures.day;
import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.directory.InMemorySubjectDirectory;
import dev.privseg.consent.ledger.ConsentEvent;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.store.InMemoryLedgerStore;
import dev.privseg.core.Purposes;
import dev.privseg.core.SubjectId;
import dev.privseg.core.gate.BasisDecision;
import java.time.Instant;
import java.time.Period;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A status's consent coverage is the gate's: for random histories (consents, renewals,
 * withdrawals, recorded expiries, objections, opt-outs, restrictions, erasures, back-dated
 * events, a policy expiry or none), who is allowed and why not are exactly what the gate decides
 * subject by subject at that instant, and the weeks count every grant and withdrawal that took
 * effect in them.
 */
class ComplianceStatusProperties {
  private static final EventType[] TYPES = {EventType.CONSENT_GIVEN, EventType.CONSENT_GIVEN,
      EventType.CONSENT_WITHDRAWN, EventType.CONSENT_EXPIRED, EventType.OBJECTION,
      EventType.OBJECTION_WITHDRAWN, EventType.OPT_OUT_OF_SALE_OR_SHARING, EventType.RESTRICTION,
      EventType.RESTRICTION_LIFTED, EventType.ERASURE};

  @Property(tries = 80)
  void coverageIsTheGatesDecisionForEverySubject(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 200) int events,
      @ForAll @IntRange(min = 0, max = 60) int expiryDays,
      @ForAll @IntRange(min = 1, max = 120) int statusDay) {
    SplittableRandom random = new SplittableRandom(seed);
    ConsentLedger ledger = ConsentLedger.open(new InMemoryLedgerStore(), Fixtures.KEYER,
        new InMemorySubjectDirectory());
    ConsentPolicy.Builder b = ConsentPolicy.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .directMarketing(random.nextBoolean()).optOutOfSaleOrSharingExcludes(random.nextBoolean());
    ConsentPolicy policy = (expiryDays == 0 ? b : b.consentExpiresAfter(Period.ofDays(expiryDays)))
        .build();
    int subjects = 1 + random.nextInt(25);
    long grants = 0;
    long withdrawals = 0;
    Instant at = day(statusDay);
    List<Object[]> appended = new java.util.ArrayList<>();
    Map<SubjectId, Instant> erasedAt = new HashMap<>();
    for (int e = 0; e < events; e++) {
      SubjectId subject = SubjectId.of("C" + random.nextInt(subjects));
      if (ledger.isErased(subject)) {
        continue;
      }
      EventType type = TYPES[random.nextInt(TYPES.length)];
      Instant when = day(random.nextInt(130)).plusSeconds(random.nextInt(86_400));
      if (type == EventType.ERASURE && when.isAfter(at)) {
        when = at; // the directory forgets at once: an erasure is never in the status's future
      }
      boolean everyPurpose = type == EventType.OPT_OUT_OF_SALE_OR_SHARING
          || type == EventType.RESTRICTION || type == EventType.RESTRICTION_LIFTED
          || type == EventType.ERASURE;
      ledger.append(new EventDraft(ledger.keyOf(subject), everyPurpose
          ? ConsentEvent.ALL_PURPOSES : Purposes.MARKETING_SEGMENTATION.id(), type, when,
          EventSource.WEB_FORM, "notice-1", "crm", ""));
      appended.add(new Object[] {subject, type, when});
      if (type == EventType.ERASURE) {
        erasedAt.merge(subject, when, (x, y) -> x.isBefore(y) ? x : y);
      }
    }
    for (Object[] a : appended) {
      Instant when = (Instant) a[2];
      Instant erased = erasedAt.get((SubjectId) a[0]);
      // Nothing after an erasure counts, even an event appended before it.
      if (!when.isAfter(at) && (erased == null || !when.isAfter(erased))) {
        grants += a[1] == EventType.CONSENT_GIVEN ? 1 : 0;
        withdrawals += a[1] == EventType.CONSENT_WITHDRAWN ? 1 : 0;
      }
    }

    ComplianceStatus.Coverage c = ComplianceMonitor.forLedger(ledger).policies(List.of(policy))
        .weeks(520).build().status(at).coverage().get(0);

    ConsentGate gate = ConsentGate.of(ledger, List.of(policy));
    Map<String, Long> notAllowed = new HashMap<>();
    long allowed = 0;
    long decided = 0;
    for (int s = 0; s < subjects; s++) {
      SubjectId subject = SubjectId.of("C" + s);
      if (!hasEffectBy(ledger, subject, at)) {
        continue;
      }
      decided++;
      BasisDecision d = gate.decide(subject, Purposes.MARKETING_SEGMENTATION, at);
      if (d == BasisDecision.ALLOWED) {
        allowed++;
      } else {
        notAllowed.merge(d.name(), 1L, Long::sum);
      }
    }
    assertThat(c.subjects()).isEqualTo(decided);
    assertThat(c.allowed()).isEqualTo(allowed);
    assertThat(c.notAllowed()).isEqualTo(notAllowed);
    // 520 weeks reach back before every event.
    assertThat(c.weeks().stream().mapToLong(ComplianceStatus.Week::grants).sum())
        .isEqualTo(grants);
    assertThat(c.weeks().stream().mapToLong(ComplianceStatus.Week::withdrawals).sum())
        .isEqualTo(withdrawals);
    assertThat(c.weeks().stream().mapToLong(ComplianceStatus.Week::expiries).sum())
        .isLessThanOrEqualTo(grants);
  }

  /** Whether the subject has an event concerning the purpose in effect by {@code at}. */
  private static boolean hasEffectBy(ConsentLedger ledger, SubjectId subject, Instant at) {
    if (ledger.isErased(subject)) {
      return true; // erased by then: its events stay in the ledger under its key
    }
    return ledger.history(ledger.keyOf(subject)).stream().anyMatch(e ->
        e.concerns(Purposes.MARKETING_SEGMENTATION.id()) && !e.occurredAt().isAfter(at));
  }
}
