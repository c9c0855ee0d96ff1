package dev.privseg.consent.store;

import static dev.privseg.consent.Fixtures.day;
import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.ActivationProperties;
import dev.privseg.consent.Activations;
import dev.privseg.consent.ComplianceMonitor;
import dev.privseg.consent.ComplianceStatus;
import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.Fixtures;
import dev.privseg.consent.directory.DirectoryPseudonymizer;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.rights.RequestType;
import dev.privseg.consent.rights.SubjectRights;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.Purposes;
import dev.privseg.core.SubjectId;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.release.SpendLog;
import java.nio.file.Path;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compliance status on the consent database, H2 and PostgreSQL: its figures from the tables
 * (runs, activations, requests, budgets), and, while another thread appends events dated after
 * its instant, every status the same and nothing written, read from every event or from a
 * status snapshot and the events since.
 */
class ComplianceDatabaseTest {
  private static final ConsentPolicy POLICY = ConsentPolicy.forPurpose(
      Purposes.MARKETING_SEGMENTATION).consentExpiresAfter(Period.ofDays(45)).build();

  @Test
  void onH2(@TempDir Path dir) throws Exception {
    Databases.onH2(dir, (ds, db) -> scenario(db));
  }

  @Test
  void onPostgres() throws Exception {
    Databases.onPostgres((ds, db) -> scenario(db));
  }

  private static void scenario(ConsentDatabase db) throws Exception {
    ConsentLedger ledger = db.ledger(Fixtures.KEYER);
    int n = 600;
    List<EventDraft> consents = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      consents.add(draft(ledger, i, i % 10 == 0 ? EventType.CONSENT_WITHDRAWN
          : EventType.CONSENT_GIVEN, 1));
    }
    ledger.appendAll(consents);
    SegmentationRun run = ActivationProperties.spendRun(ledger,
        LawfulBasisGate.allowList(IntStream.range(0, n).mapToObj(i -> "C" + i)
            .toList()), n, day(2));
    db.memberships().register(run, "spend segments");
    new Activations(ledger, List.of(POLICY), db.memberships(), db.activations())
        .activate(run.report().runId(), "email", day(3), "crm", (p, s) -> { });
    new SubjectRights(ledger, List.of(POLICY), DirectoryPseudonymizer.of(ledger),
        db.memberships(), db.requestLog())
        .receive(SubjectId.of("C7"), RequestType.ACCESS, day(4), "dpo");
    db.spendLog().pinBudget("profiles", new SpendLog.Budget("1", "0"));
    ComplianceMonitor monitor = ComplianceMonitor.forLedger(ledger).policies(List.of(POLICY))
        .runs(db.memberships(), db.activations()).requests(db.requestLog())
        .budgets(() -> List.of()).weeks(4).build();

    ComplianceStatus baseline = monitor.status(day(5));
    // The same status read from a snapshot of the day before and the events since.
    ComplianceMonitor fromSnapshot = ComplianceMonitor.forLedger(ledger)
        .policies(List.of(POLICY)).runs(db.memberships(), db.activations())
        .requests(db.requestLog()).budgets(() -> List.of()).weeks(4)
        .trustedCheckpoint(ledger.verify().head().orElseThrow())
        .snapshots(db.statusSnapshots()).build();
    fromSnapshot.saveSnapshots(day(4));
    assertThat(baseline.coverage().get(0).allowed()).isEqualTo(n - n / 10);
    assertThat(baseline.coverage().get(0).notAllowed())
        .isEqualTo(Map.of("NO_BASIS", (long) n / 10)); // withdrawn, never given
    assertThat(baseline.runs()).singleElement().satisfies(r -> {
      assertThat(r.members()).isEqualTo(n);
      assertThat(r.allowed()).isEqualTo(n - n / 10);
      assertThat(r.activations()).isEqualTo(1);
    });
    assertThat(baseline.requests().open()).isEqualTo(1);
    assertThat(db.spendLog().budgets()).containsOnlyKeys("profiles");

    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread appender = new Thread(() -> {
      try {
        for (int from = 0; from < n; from += 40) {
          List<EventDraft> later = new ArrayList<>();
          for (int i = from; i < from + 40; i++) {
            later.add(draft(ledger, i, EventType.CONSENT_WITHDRAWN, 9));
          }
          ledger.appendAll(later);
        }
      } catch (Throwable t) {
        failed.set(t);
      }
    });
    appender.start();
    int checks = 0;
    while (appender.isAlive() || checks < 3) {
      long before = ledger.size();
      ComplianceStatus s = monitor.status(day(5));
      assertThat(s.coverage()).isEqualTo(baseline.coverage());
      assertThat(s.runs()).isEqualTo(baseline.runs());
      assertThat(s.activations()).isEqualTo(baseline.activations());
      assertThat(s.requests()).isEqualTo(baseline.requests());
      assertThat(s.ledger().intact()).isTrue();
      assertThat(s.ledger().eventsChecked()).isGreaterThanOrEqualTo(before);
      ComplianceStatus resumed = fromSnapshot.status(day(5));
      assertThat(resumed.coverage()).isEqualTo(baseline.coverage());
      assertThat(resumed.runs()).isEqualTo(baseline.runs());
      assertThat(resumed.ledger().intact()).isTrue();
      checks++;
    }
    appender.join();
    assertThat(failed.get()).isNull();
    assertThat(db.activations().activations()).hasSize(1);
    assertThat(ledger.size()).isEqualTo(2L * n);
  }

  private static EventDraft draft(ConsentLedger ledger, int i, EventType type, int day) {
    return new EventDraft(ledger.keyOf(SubjectId.of("C" + i)),
        Purposes.MARKETING_SEGMENTATION.id(), type, day(day), EventSource.WEB_FORM, "notice-1",
        "crm", "");
  }
}
