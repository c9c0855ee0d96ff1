package dev.privseg.consent.store;

import static dev.privseg.consent.Fixtures.day;
import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.ActivationLog;
import dev.privseg.consent.ComplianceMonitor;
import dev.privseg.consent.ComplianceStatus;
import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.Fixtures;
import dev.privseg.consent.StatusSnapshot;
import dev.privseg.consent.ledger.Checkpoint;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.Purposes;
import dev.privseg.core.SubjectId;
import java.nio.file.Path;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Status snapshots in the consent database, H2 and PostgreSQL: saved, read back whole, replaced
 * by the next, and a status read from one and the events since is the status read from every
 * event, back-dated events included.
 */
class StatusSnapshotDatabaseTest {
  private static final ConsentPolicy POLICY = ConsentPolicy.forPurpose(
      Purposes.MARKETING_SEGMENTATION).consentExpiresAfter(Period.ofDays(30)).build();

  @Test
  void onH2(@TempDir Path dir) throws Exception {
    Databases.onH2(dir, (ds, db) -> scenario(db));
  }

  @Test
  void onPostgres() throws Exception {
    Databases.onPostgres((ds, db) -> scenario(db));
  }

  private static void scenario(ConsentDatabase db) {
    ConsentLedger ledger = db.ledger(Fixtures.KEYER);
    SplittableRandom random = new SplittableRandom(3);
    List<SubjectKey> keys = new ArrayList<>();
    for (java.util.Optional<SubjectKey> key : ledger.keysOf(java.util.stream.IntStream
        .range(0, 12_000).mapToObj(i -> SubjectId.of("C" + i)).toList())) {
      keys.add(key.orElseThrow());
    }
    ledger.appendAll(events(keys, random, 30_000, 0, 100)); // several parts of subjects
    Checkpoint trusted = ledger.verify().head().orElseThrow();
    ComplianceMonitor fast = ComplianceMonitor.forLedger(ledger).policies(List.of(POLICY))
        .runs(db.memberships(), ActivationLog.inMemory()).trustedCheckpoint(trusted)
        .snapshots(db.statusSnapshots()).weeks(30).build();
    ComplianceMonitor full = ComplianceMonitor.forLedger(ledger).policies(List.of(POLICY))
        .runs(db.memberships(), ActivationLog.inMemory()).trustedCheckpoint(trusted)
        .weeks(30).build();

    StatusSnapshot first = fast.saveSnapshots(day(90)).get(0);
    StatusSnapshot second = fast.saveSnapshots(day(95)).get(0);
    assertThat(db.statusSnapshots().latest(Purposes.MARKETING_SEGMENTATION.id().value()))
        .contains(second);
    int[] parts = {0};
    db.statusSnapshots().parts(first.id(), p -> parts[0]++);
    assertThat(parts[0]).as("the first snapshot's parts went with it").isZero();
    db.statusSnapshots().parts(second.id(), p -> parts[0]++);
    assertThat(parts[0]).isGreaterThan(2);
    // Subjects in effect by then, and those whose events were all still to take effect.
    assertThat(second.subjects()).isGreaterThan(full.status(day(95)).coverage().get(0)
        .subjects());

    // Later events, some back-dated before the snapshot, some not yet in effect.
    ledger.appendAll(events(keys, random, 2_000, 50, 140));
    ComplianceStatus expected = full.status(day(120));
    ComplianceStatus got = fast.status(day(120));
    assertThat(got.coverage()).isEqualTo(expected.coverage());
    assertThat(got.runs()).isEqualTo(expected.runs());
  }

  private static List<EventDraft> events(List<SubjectKey> keys, SplittableRandom random, int n,
      int fromDay, int toDay) {
    EventType[] types = {EventType.CONSENT_GIVEN, EventType.CONSENT_GIVEN,
        EventType.CONSENT_WITHDRAWN, EventType.OBJECTION, EventType.CONSENT_EXPIRED};
    List<EventDraft> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new EventDraft(keys.get(random.nextInt(keys.size())),
          Purposes.MARKETING_SEGMENTATION.id(), types[random.nextInt(types.length)],
          day(fromDay + random.nextInt(toDay - fromDay)).plusSeconds(random.nextInt(86_400)),
          EventSource.WEB_FORM, "notice-1", "crm", ""));
    }
    return out;
  }
}
