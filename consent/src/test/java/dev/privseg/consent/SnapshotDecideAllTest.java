package dev.privseg.consent;

import static dev.privseg.consent.Fixtures.day;
import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.ledger.ConsentEvent;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.core.LawfulBasis;
import dev.privseg.core.Purpose;
import dev.privseg.core.Purposes;
import dev.privseg.core.SubjectId;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.gate.BasisDecision;
import dev.privseg.core.gate.BasisDecisions;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The per-run snapshot decides a whole id column exactly as the live gate decides each row. */
class SnapshotDecideAllTest {
  static final Field ID = Field.of("customer_id", FieldType.IDENTIFIER,
      PrivacyRole.DIRECT_IDENTIFIER);
  static final EventType[] TYPES = {EventType.CONSENT_GIVEN, EventType.CONSENT_WITHDRAWN,
      EventType.OBJECTION, EventType.OPT_OUT_OF_SALE_OR_SHARING, EventType.CONSENT_EXPIRED};

  @Test
  void snapshotColumnDecisionsEqualLiveDecisionsRowByRow() {
    assertColumnMatchesLiveGate(Purposes.MARKETING_SEGMENTATION);
  }

  @Test
  void rowsWithoutAnIdentifierHaveNoBasisEvenWhereUnknownSubjectsAreAllowed() {
    // Under legitimate interests a subject the ledger has never heard of is allowed; a row with
    // a missing or blank id is nobody, and must not be.
    Purpose newsletter = Purpose.of("newsletter", "Product news to existing customers",
        LawfulBasis.LEGITIMATE_INTERESTS);
    BasisDecisions out = assertColumnMatchesLiveGate(newsletter);
    assertThat(out.get(out.size() - 1)).isEqualTo(BasisDecision.NO_BASIS);
  }

  /** 3,000 rows (three batches), every event type, unknown ids, then null, empty and blank. */
  private static BasisDecisions assertColumnMatchesLiveGate(Purpose purpose) {
    ConsentLedger ledger = ConsentLedger.inMemory(Fixtures.KEYER);
    ConsentGate gate = ConsentGate.of(ledger, List.of(ConsentPolicy.forPurpose(purpose)
        .optOutOfSaleOrSharingExcludes(true).build()));
    SplittableRandom random = new SplittableRandom(11);
    List<EventDraft> events = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      String id = "C" + i;
      ids.add(id);
      int count = random.nextInt(3); // a third of the subjects are unknown to the ledger
      for (int e = 0; e < count; e++) {
        events.add(EventDraft.of(ledger.keyOf(SubjectId.of(id)), purpose.id(),
            TYPES[random.nextInt(TYPES.length)], day(random.nextInt(20)), EventSource.API,
            "test"));
      }
    }
    events.add(EventDraft.of(ledger.keyOf(SubjectId.of("C7")), ConsentEvent.ALL_PURPOSES,
        EventType.ERASURE, day(1), EventSource.API, "test"));
    ledger.appendAll(events);
    ids.add(null);
    ids.add("");
    ids.add("   ");
    StringColumn column = StringColumn.of(ID, ids.toArray(String[]::new));

    dev.privseg.core.gate.RunGate snapshot = gate.forRun(purpose, day(30));
    BasisDecisions out = new BasisDecisions(column.size());
    snapshot.decideAll(column, out);

    for (int r = 0; r < 3_000; r++) {
      assertThat(out.get(r)).as("row %s", r)
          .isEqualTo(gate.decide(SubjectId.of(ids.get(r)), purpose, day(30)));
    }
    for (int r = 3_000; r < column.size(); r++) {
      assertThat(out.get(r)).as("row %s has no identifier", r).isEqualTo(BasisDecision.NO_BASIS);
    }
    return out;
  }
}
