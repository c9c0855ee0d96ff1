package dev.privseg.consent;

import static dev.privseg.consent.Fixtures.day;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.consent.directory.DirectoryPseudonymizer;
import dev.privseg.consent.directory.InMemorySubjectDirectory;
import dev.privseg.consent.ledger.Checkpoint;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.rights.InMemoryMembershipRegistry;
import dev.privseg.consent.rights.MembershipRegistry;
import dev.privseg.consent.rights.RequestLog;
import dev.privseg.consent.rights.RequestType;
import dev.privseg.consent.rights.SubjectRights;
import dev.privseg.consent.store.InMemoryLedgerStore;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.Purposes;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.release.BudgetStatus;
import java.time.Clock;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A compliance status on a known history, every figure checked: ten customers consent in the
 * first week; one withdraws, seven renew, two let their consent lapse under a 45-day expiry, one
 * objects, one is erased; a run registered on day 10 goes stale and past its retention; an
 * access request goes overdue, another is open; a budget is half spent.
 */
class ComplianceMonitorTest {
  private static final ConsentPolicy POLICY = ConsentPolicy.forPurpose(
      Purposes.MARKETING_SEGMENTATION).consentExpiresAfter(Period.ofDays(45))
      .directMarketing(true).build();

  @Test
  void aStatusCountsWhatHappenedAcrossRuns() {
    ConsentLedger ledger = ConsentLedger.open(new InMemoryLedgerStore(), Fixtures.KEYER,
        new InMemorySubjectDirectory());
    MembershipRegistry registry = new InMemoryMembershipRegistry(
        Clock.fixed(day(10), ZoneOffset.UTC));
    ActivationLog activationLog = ActivationLog.inMemory();
    RequestLog requestLog = RequestLog.inMemory();
    SubjectRights rights = new SubjectRights(ledger, List.of(POLICY),
        DirectoryPseudonymizer.of(ledger), registry, requestLog);
    for (int i = 0; i < 10; i++) {
      append(ledger, "C" + i, EventType.CONSENT_GIVEN, 1);
    }
    Checkpoint early = ledger.verify().head().orElseThrow();
    SegmentationRun run = ActivationProperties.spendRun(ledger,
        ConsentGate.of(ledger, List.of(POLICY)), 10, day(10));
    registry.register(run, "spend segments");
    rights.receive(SubjectId.of("C6"), RequestType.ACCESS, day(20), "dpo");
    append(ledger, "C1", EventType.CONSENT_WITHDRAWN, 20);
    for (int i = 3; i < 10; i++) {
      append(ledger, "C" + i, EventType.CONSENT_GIVEN, 30);
    }
    append(ledger, "C4", EventType.OBJECTION, 40);
    rights.erase(SubjectId.of("C5"), day(50), "dpo");
    new Activations(ledger, List.of(POLICY), registry, activationLog)
        .activate(run.report().runId(), "email", day(55), "crm", (p, s) -> { });
    rights.receive(SubjectId.of("C3"), RequestType.ACCESS, day(58), "dpo");

    ComplianceMonitor monitor = ComplianceMonitor.forLedger(ledger)
        .policies(List.of(POLICY))
        .runs(registry, activationLog)
        .requests(requestLog)
        .budgets(() -> List.of(new BudgetStatus("crm-profiles", "1", "0", "1/2", 0.5, 2)))
        .keepRunsFor(Period.ofDays(30))
        .weeks(10)
        .build();
    ComplianceStatus status = monitor.status(day(60)); // Monday 2026-03-02

    assertThat(status.ledger().intact()).isTrue();
    assertThat(status.ledger().eventsChecked()).isEqualTo(ledger.size());
    assertThat(status.ledger().checkedFrom()).isEqualTo(1);
    ComplianceStatus.Coverage c = status.coverage().get(0);
    assertThat(c.purpose()).isEqualTo("marketing-segmentation");
    assertThat(c.subjects()).isEqualTo(10);
    assertThat(c.allowed()).isEqualTo(5);
    assertThat(c.notAllowed()).isEqualTo(Map.of("CONSENT_EXPIRED", 2L, "CONSENT_WITHDRAWN", 1L,
        "OBJECTED", 1L, "ERASED", 1L));
    assertThat(c.weeks()).hasSize(10);
    assertThat(c.weeks().get(0).weekOf()).isEqualTo("2025-12-29");
    assertThat(c.weeks().get(9).weekOf()).isEqualTo("2026-03-02");
    assertThat(c.weeks()).filteredOn(w -> w.grants() + w.withdrawals() + w.expiries() > 0)
        .containsExactly(
            new ComplianceStatus.Week("2025-12-29", 10, 0, 0),
            new ComplianceStatus.Week("2026-01-19", 0, 1, 0),
            new ComplianceStatus.Week("2026-01-26", 7, 0, 0),
            new ComplianceStatus.Week("2026-02-16", 0, 0, 2));

    assertThat(status.runs()).singleElement().satisfies(r -> {
      assertThat(r.runId()).isEqualTo(run.report().runId());
      assertThat(r.members()).isEqualTo(9);
      assertThat(r.allowed()).isEqualTo(5);
      assertThat(r.lost()).isEqualTo(Map.of("CONSENT_EXPIRED", 2L, "CONSENT_WITHDRAWN", 1L,
          "OBJECTED", 1L, "ERASED", 1L));
      assertThat(r.stale()).isTrue();
      assertThat(r.pastRetention()).isTrue();
      assertThat(r.activations()).isEqualTo(1);
      assertThat(r.lastActivatedAt()).isEqualTo(day(55).toString());
      assertThat(r.undecided()).isEmpty();
    });
    assertThat(status.staleRuns()).hasSize(1);
    assertThat(status.runsPastRetention()).hasSize(1);
    assertThat(status.activations()).singleElement()
        .satisfies(a -> assertThat(a.allowed()).isEqualTo(5)); // as on day 60
    assertThat(status.requests().open()).isEqualTo(2);
    assertThat(status.requests().overdue()).isEqualTo(1);
    assertThat(status.requests().awaiting().get(0).overdue()).isTrue();
    assertThat(status.budgets()).extracting(BudgetStatus::budgetId).containsExactly("crm-profiles");

    // From a trusted checkpoint on: the same figures, only the events since it checked.
    ComplianceStatus since = ComplianceMonitor.forLedger(ledger).policies(List.of(POLICY))
        .runs(registry, activationLog).requests(requestLog).keepRunsFor(Period.ofDays(30))
        .weeks(10).trustedCheckpoint(early).build().status(day(60));
    assertThat(since.ledger()).isEqualTo(new ComplianceStatus.Ledger(true, 10,
        ledger.size() - 9, status.ledger().head(), ""));
    assertThat(since.coverage()).isEqualTo(status.coverage());
    assertThat(since.runs()).isEqualTo(status.runs());

    // Not later than the run's retention: nothing past it.
    assertThat(ComplianceMonitor.forLedger(ledger).policies(List.of(POLICY))
        .runs(registry, activationLog).keepRunsFor(Period.ofDays(60)).build().status(day(60))
        .runsPastRetention()).isEmpty();

    String json = status.toJson();
    assertThat(json).contains("\"notAllowed\" : {", "\"weekOf\" : \"2026-02-16\"",
        "\"pastRetention\" : true");
    for (int i = 0; i < run.assignments().size(); i++) {
      assertThat(json).doesNotContain(run.assignments().pseudonym(i));
    }
    assertThat(json).doesNotContainPattern("\"C[0-9]\"");
  }

  @Test
  void aRunOfAPurposeWithoutAPolicyIsListedAsUndecidedNotDropped() {
    ConsentLedger ledger = ConsentLedger.open(new InMemoryLedgerStore(), Fixtures.KEYER,
        new InMemorySubjectDirectory());
    MembershipRegistry registry = MembershipRegistry.inMemory();
    for (int i = 0; i < 4; i++) {
      append(ledger, "C" + i, EventType.CONSENT_GIVEN, 1);
    }
    SegmentationRun run = ActivationProperties.spendRun(ledger,
        ConsentGate.of(ledger, List.of(POLICY)), 4, day(2));
    registry.register(run, "spend segments");

    ComplianceStatus status = ComplianceMonitor.forLedger(ledger)
        .runs(registry, ActivationLog.inMemory()).build().status(day(3));
    assertThat(status.coverage()).isEmpty();
    assertThat(status.runs()).singleElement().satisfies(r -> {
      assertThat(r.allowed()).isEqualTo(-1);
      assertThat(r.members()).isEqualTo(4);
      assertThat(r.undecided()).contains("no policy is given");
    });
  }

  /**
   * A run is decided by the policy its gate used, which its record states: a check with another
   * policy (a laxer expiry would let lapsed consents through) is refused, and a status lists the
   * run as undecided, saying why.
   */
  @Test
  void aRunIsDecidedOnlyByThePolicyItsGateUsed() {
    ConsentLedger ledger = ConsentLedger.open(new InMemoryLedgerStore(), Fixtures.KEYER,
        new InMemorySubjectDirectory());
    MembershipRegistry registry = MembershipRegistry.inMemory();
    for (int i = 0; i < 4; i++) {
      append(ledger, "C" + i, EventType.CONSENT_GIVEN, 1);
    }
    ConsentPolicy lapsing = ConsentPolicy.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .consentExpiresAfter(java.time.Period.ofDays(10)).build();
    ConsentPolicy lasting = ConsentPolicy.forPurpose(Purposes.MARKETING_SEGMENTATION).build();
    SegmentationRun run = ActivationProperties.spendRun(ledger,
        ConsentGate.of(ledger, List.of(lapsing)), 4, day(2));
    registry.register(run, "spend segments");
    String runId = run.report().runId();
    assertThat(run.report().lawfulBasisGate()).contains(lapsing.summary());

    assertThat(new Activations(ledger, List.of(lapsing), registry, ActivationLog.inMemory())
        .standing(runId, day(30)).held()).isZero(); // every consent lapsed on day 11
    assertThatThrownBy(() -> new Activations(ledger, List.of(lasting), registry,
        ActivationLog.inMemory()).activate(runId, "email", day(30), "crm", (p, s) -> { }))
        .isInstanceOf(ConsentException.class)
        .hasMessageContaining("was decided by the policy " + lapsing.summary())
        .hasMessageContaining("this check's policy is " + lasting.summary());
    ComplianceStatus status = ComplianceMonitor.forLedger(ledger).policies(List.of(lasting))
        .runs(registry, ActivationLog.inMemory()).build().status(day(30));
    assertThat(status.runs()).singleElement().satisfies(r -> {
      assertThat(r.allowed()).isEqualTo(-1);
      assertThat(r.undecided()).contains("was decided by the policy " + lapsing.summary());
    });
  }

  @Test
  void badSettingsAreNamed() {
    ComplianceMonitor.Builder b = ComplianceMonitor.forLedger(
        ConsentLedger.inMemory(Fixtures.KEYER));
    assertThatThrownBy(() -> b.weeks(0)).isInstanceOf(ConfigurationException.class)
        .hasMessage("weeks must be from 1 to 520 but was 0");
    assertThatThrownBy(() -> b.policies(List.of(POLICY, POLICY)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("two policies for purpose 'marketing-segmentation'");
    assertThatThrownBy(() -> b.keepRunsFor(Period.ZERO))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("keepRunsFor must be a positive period");
  }

  private static void append(ConsentLedger ledger, String id, EventType type, int day) {
    ledger.append(new EventDraft(ledger.keyOf(SubjectId.of(id)),
        Purposes.MARKETING_SEGMENTATION.id(), type, day(day), EventSource.WEB_FORM, "notice-1",
        "crm", ""));
  }
}
