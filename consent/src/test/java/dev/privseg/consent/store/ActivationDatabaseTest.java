package dev.privseg.consent.store;

import static dev.privseg.consent.Fixtures.day;
import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.Activation;
import dev.privseg.consent.ActivationProperties;
import dev.privseg.consent.Activations;
import dev.privseg.consent.ConsentGate;
import dev.privseg.consent.Fixtures;
import dev.privseg.consent.RunStanding;
import dev.privseg.consent.directory.DirectoryPseudonymizer;
import dev.privseg.consent.ledger.ConsentEvent;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.rights.RegisteredRun;
import dev.privseg.consent.rights.SubjectRights;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.SubjectId;
import dev.privseg.core.gate.BasisDecision;
import dev.privseg.core.pipeline.RunOptions;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.segment.kmeans.KMeans;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Activation checks on the consent database, H2 and PostgreSQL: a registered run's standing
 * after withdrawals, an opt-out and an erasure (counted from the members registered), an
 * activation that hands over only the members whose basis holds, in the registry's order, and
 * its record read back; checks made while events are appended agree and write nothing.
 */
class ActivationDatabaseTest {

  @Test
  void onH2(@TempDir Path dir) throws Exception {
    Databases.onH2(dir, (ds, db) -> scenario(db));
  }

  @Test
  void onPostgres() throws Exception {
    Databases.onPostgres((ds, db) -> scenario(db));
  }

  @Test
  void appendsMeanwhileLeaveTheCheckConsistentOnH2(@TempDir Path dir) throws Exception {
    Databases.onH2(dir, (ds, db) -> consistentUnderAppends(db));
  }

  @Test
  void appendsMeanwhileLeaveTheCheckConsistentOnPostgres() throws Exception {
    Databases.onPostgres((ds, db) -> consistentUnderAppends(db));
  }

  /**
   * Activation checks while another thread appends events dated after the checked instant: each
   * check hands over what the first one did and counts the same, and none writes to the ledger.
   */
  private static void consistentUnderAppends(ConsentDatabase db) throws Exception {
    ConsentLedger ledger = db.ledger(Fixtures.KEYER);
    int n = 1_000;
    List<EventDraft> consents = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      consents.add(new EventDraft(ledger.keyOf(SubjectId.of("C" + i)),
          Purposes.MARKETING_SEGMENTATION.id(), i % 7 == 0 ? EventType.CONSENT_WITHDRAWN
              : EventType.CONSENT_GIVEN, day(1), EventSource.WEB_FORM, "notice-1", "signup", ""));
    }
    ledger.appendAll(consents);
    SegmentationRun run = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(dev.privseg.core.gate.LawfulBasisGate.allowList(
            java.util.stream.IntStream.range(0, n).mapToObj(i -> "C" + i).toList()))
        .minimize(m -> m.keep("spend"))
        .pseudonymize("id", DirectoryPseudonymizer.of(ledger))
        .segmentWith(KMeans.clusters(2).seed(1))
        .releaseProfiles(p -> p.minSegmentSize(1))
        .build().run(ActivationProperties.customers(n), RunOptions.defaults().at(day(2)));
    db.memberships().register(run, "spend segments");
    String runId = run.report().runId();
    Activations activations = new Activations(ledger, List.of(ActivationProperties.POLICY),
        db.memberships(), db.activations());
    Map<String, Integer> first = new LinkedHashMap<>();
    Activation baseline = activations.activate(runId, "email", day(3), "crm", first::put);
    assertThat(baseline.allowed()).isEqualTo(n - (n + 6) / 7);

    java.util.concurrent.atomic.AtomicReference<Throwable> failed =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread appender = new Thread(() -> {
      try {
        for (int from = 0; from < n; from += 50) {
          List<EventDraft> later = new ArrayList<>();
          for (int i = from; i < from + 50; i++) {
            later.add(new EventDraft(ledger.keyOf(SubjectId.of("C" + i)),
                Purposes.MARKETING_SEGMENTATION.id(), EventType.CONSENT_WITHDRAWN, day(9),
                EventSource.WEB_FORM, "", "preference-centre", ""));
          }
          ledger.appendAll(later);
        }
      } catch (Throwable t) {
        failed.set(t);
      }
    });
    appender.start();
    int checks = 0;
    int meanwhile = 0;
    while (appender.isAlive() || checks < 3) {
      meanwhile += appender.isAlive() ? 1 : 0;
      long before = ledger.size();
      Map<String, Integer> handed = new LinkedHashMap<>();
      Activation a = activations.activate(runId, "email", day(3), "crm", handed::put);
      assertThat(handed).isEqualTo(first);
      assertThat(a.allowed()).isEqualTo(baseline.allowed());
      assertThat(a.excluded()).isEqualTo(baseline.excluded());
      assertThat(ledger.size()).as("read only").isGreaterThanOrEqualTo(before);
      checks++;
    }
    appender.join();
    assertThat(failed.get()).isNull();
    assertThat(meanwhile).as("checks made while events were appended").isPositive();
    assertThat(ledger.size()).isEqualTo(2L * n);
    assertThat(ledger.verify().intact()).isTrue();
    // After the withdrawals take effect, nobody is handed over.
    assertThat(activations.standing(runId, day(10)).held()).isZero();
  }

  private static void scenario(ConsentDatabase db) {
    ConsentLedger ledger = db.ledger(Fixtures.KEYER);
    DirectoryPseudonymizer pseudonyms = DirectoryPseudonymizer.of(ledger);
    List<EventDraft> consents = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      consents.add(new EventDraft(ledger.keyOf(SubjectId.of("C" + i)),
          Purposes.MARKETING_SEGMENTATION.id(), EventType.CONSENT_GIVEN, day(1),
          EventSource.WEB_FORM, "notice-1", "signup", ""));
    }
    ledger.appendAll(consents);
    SegmentationRun run = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(ConsentGate.of(ledger, List.of(ActivationProperties.POLICY)))
        .minimize(m -> m.keep("spend"))
        .pseudonymize("id", pseudonyms)
        .segmentWith(KMeans.clusters(2).seed(1))
        .releaseProfiles(p -> p.minSegmentSize(1))
        .build().run(ActivationProperties.customers(20), RunOptions.defaults().at(day(2)));
    db.memberships().register(run, "spend segments");
    String runId = run.report().runId();
    RegisteredRun registered = db.memberships().run(runId).orElseThrow();
    assertThat(registered.registeredMembers()).hasValue(20);
    assertThat(registered.members()).isEqualTo(20);

    for (String id : List.of("C3", "C4")) {
      ledger.append(new EventDraft(ledger.keyOf(SubjectId.of(id)),
          Purposes.MARKETING_SEGMENTATION.id(), EventType.CONSENT_WITHDRAWN, day(5),
          EventSource.WEB_FORM, "", "preference-centre", ""));
    }
    ledger.append(new EventDraft(ledger.keyOf(SubjectId.of("C5")), ConsentEvent.ALL_PURPOSES,
        EventType.OPT_OUT_OF_SALE_OR_SHARING, day(6), EventSource.SIGNAL, "", "gpc", ""));
    new SubjectRights(ledger, List.of(ActivationProperties.POLICY), pseudonyms,
        db.memberships(), db.requestLog()).erase(SubjectId.of("C6"), day(7), "dpo");

    Activations activations = new Activations(ledger, List.of(ActivationProperties.POLICY),
        db.memberships(), db.activations());
    RunStanding before = activations.standing(runId, day(4));
    assertThat(before.held()).isEqualTo(19);
    assertThat(before.lost()).isEqualTo(Map.of(BasisDecision.ERASED, 1L));
    RunStanding standing = activations.standing(runId, day(8));
    assertThat(standing.registered()).isEqualTo(20);
    assertThat(standing.members()).isEqualTo(19);
    assertThat(standing.held()).isEqualTo(16);
    assertThat(standing.lost()).isEqualTo(Map.of(BasisDecision.CONSENT_WITHDRAWN, 2L,
        BasisDecision.OPTED_OUT, 1L, BasisDecision.ERASED, 1L));
    assertThat(standing.isStale()).isTrue();
    assertThat(activations.standings(day(8))).containsExactly(standing);

    Map<String, Integer> handed = new LinkedHashMap<>();
    Activation a = activations.activate(runId, "email", day(8), "crm-export", handed::put);
    assertThat(handed).hasSize(16);
    List<String> order = new ArrayList<>();
    db.memberships().forEachMember(runId, (pseudonym, segment) -> {
      if (handed.containsKey(pseudonym)) {
        order.add(pseudonym);
        assertThat(handed.get(pseudonym)).isEqualTo(segment);
      }
    });
    assertThat(new ArrayList<>(handed.keySet())).isEqualTo(order);
    for (String id : List.of("C3", "C4", "C5")) {
      assertThat(handed).doesNotContainKey(pseudonyms.existing(SubjectId.of(id)).orElseThrow()
          .value());
    }
    assertThat(a.members()).isEqualTo(19);
    assertThat(a.allowed()).isEqualTo(16);
    assertThat(a.excluded()).isEqualTo(Map.of(BasisDecision.CONSENT_WITHDRAWN, 2L,
        BasisDecision.OPTED_OUT, 1L));
    assertThat(db.activations().activations()).containsExactly(a);
  }
}
