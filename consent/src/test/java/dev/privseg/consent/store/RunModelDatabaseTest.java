package dev.privseg.consent.store;

import static dev.privseg.consent.Fixtures.day;
import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.ActivationProperties;
import dev.privseg.consent.ConsentGate;
import dev.privseg.consent.Fixtures;
import dev.privseg.consent.directory.DirectoryPseudonymizer;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pipeline.RunOptions;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.segment.SegmentModel;
import dev.privseg.core.segment.rules.RuleSegments;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental assignment on the consent database, H2 and PostgreSQL: a registered run keeps its
 * segments, and customers who consented since are assigned to them, through the ledger's gate and
 * directory, without a new fit; the later run is registered as an assignment to the first.
 */
class RunModelDatabaseTest {

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
    ledger.appendAll(events(ledger, 0, 200, EventType.CONSENT_GIVEN, 1));
    ConsentGate gate = ConsentGate.of(ledger, List.of(ActivationProperties.POLICY));
    SegmentationRun first = ActivationProperties.spendRun(ledger, gate, 200, day(2));
    db.memberships().register(first, "spend segments");
    String firstId = first.report().runId();
    SegmentModel model = db.memberships().model(firstId).orElseThrow();
    assertThat(model).isEqualTo(first.model().orElseThrow());
    assertThat(model.run()).isEqualTo(firstId);

    // A hundred customers consent later; ten of them withdraw again before the assignment.
    ledger.appendAll(events(ledger, 200, 300, EventType.CONSENT_GIVEN, 3));
    ledger.appendAll(events(ledger, 250, 260, EventType.CONSENT_WITHDRAWN, 3));
    SegmentationRun later = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(gate)
        .minimize(m -> m.keep("spend"))
        .pseudonymize("id", DirectoryPseudonymizer.of(ledger))
        .assignTo(db.memberships().model(firstId).orElseThrow())
        .releaseProfiles(p -> p.minSegmentSize(1))
        .build().run(ActivationProperties.customers(300).select(
            IntStream.range(200, 300).toArray()), RunOptions.defaults().at(day(4)));
    assertThat(later.assignments().size()).isEqualTo(90);
    assertThat(later.report().segmentation().algorithm())
        .isEqualTo("incremental assignment of run " + firstId);
    assertThat(later.report().segmentation().parameters())
        .containsEntry("modelDigest", model.digest());
    // Spends 2000..2990 lie beyond every first-run customer's: all go to the high segment.
    int high = first.profiles().released().stream()
        .max(java.util.Comparator.comparingDouble(p -> p.numeric().get(0).mean()))
        .orElseThrow().segment();
    for (int i = 0; i < later.assignments().size(); i++) {
      assertThat(later.assignments().segment(i)).isEqualTo(high);
    }
    db.memberships().register(later, "spend segments, customers since");
    assertThat(db.memberships().model(later.report().runId())).contains(model);
    assertThat(db.memberships().run(later.report().runId()).orElseThrow().algorithm())
        .isEqualTo("incremental assignment of run " + firstId);

    SegmentationRun rules = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(gate)
        .minimize(m -> m.keep("spend"))
        .pseudonymize("id", DirectoryPseudonymizer.of(ledger))
        .segmentWith(RuleSegments.first("big", "spend >= 1000").otherwise("small"))
        .releaseProfiles(p -> p.minSegmentSize(1))
        .build().run(ActivationProperties.customers(100), RunOptions.defaults().at(day(4)));
    db.memberships().register(rules, "rules");
    assertThat(db.memberships().model(rules.report().runId())).hasValueSatisfying(m ->
        assertThat(m.rules()).containsEntry("big", "spend >= 1000"));
    SegmentationRun mixture = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(gate)
        .minimize(m -> m.keep("spend"))
        .pseudonymize("id", DirectoryPseudonymizer.of(ledger))
        .segmentWith(dev.privseg.core.segment.gmm.GaussianMixture.components(2).seed(1))
        .releaseProfiles(p -> p.minSegmentSize(1))
        .build().run(ActivationProperties.customers(100), RunOptions.defaults().at(day(4)));
    db.memberships().register(mixture, "mixture");
    assertThat(db.memberships().model(mixture.report().runId())).isEmpty();

    db.memberships().forgetRun(firstId);
    assertThat(db.memberships().model(firstId)).isEmpty();
    assertThat(db.memberships().model("no-such-run")).isEmpty();
  }

  private static List<EventDraft> events(ConsentLedger ledger, int from, int to, EventType type,
      int day) {
    List<EventDraft> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(new EventDraft(ledger.keyOf(SubjectId.of("C" + i)),
          Purposes.MARKETING_SEGMENTATION.id(), type, day(day), EventSource.WEB_FORM, "notice-1",
          "crm", ""));
    }
    return out;
  }
}
