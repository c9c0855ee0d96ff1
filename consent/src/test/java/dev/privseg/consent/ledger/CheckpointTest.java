package dev.privseg.consent.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.consent.Fixtures;
import dev.privseg.consent.store.InMemoryLedgerStore;
import dev.privseg.consent.store.LedgerStore;
import dev.privseg.core.ConfigurationException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The unkeyed chain alone cannot tell a truncated or rewritten ledger from a genuine one; a
 * checkpoint kept outside the database can.
 */
class CheckpointTest {

  private static LedgerStore ledgerOf(List<EventType> types) {
    LedgerStore store = new InMemoryLedgerStore();
    ConsentLedger ledger = ConsentLedger.open(store, Fixtures.KEYER);
    for (int i = 0; i < types.size(); i++) {
      ledger.append(Fixtures.event("C" + i, types.get(i), i));
    }
    return store;
  }

  private static final List<EventType> FIVE = List.of(EventType.CONSENT_GIVEN,
      EventType.CONSENT_GIVEN, EventType.CONSENT_GIVEN, EventType.CONSENT_GIVEN,
      EventType.CONSENT_GIVEN);

  @Test
  void theHeadOfAVerificationIsTheLastEvent() {
    Verification v = ConsentLedger.verify(ledgerOf(FIVE));

    assertThat(v.intact()).isTrue();
    assertThat(v.head()).get().extracting(Checkpoint::sequence).isEqualTo(5L);
    assertThat(Checkpoint.parse(v.head().orElseThrow().toString())).isEqualTo(v.head().get());
    assertThat(ConsentLedger.inMemory(Fixtures.KEYER).verify().head()).isEmpty();
  }

  @Test
  void aTruncatedLedgerIsIntactAloneButNotAgainstItsCheckpoint() {
    Checkpoint kept = ConsentLedger.verify(ledgerOf(FIVE)).head().orElseThrow();
    LedgerStore truncated = ledgerOf(FIVE.subList(0, 3)); // the same first three events

    assertThat(ConsentLedger.verify(truncated).intact()).as("the chain alone cannot tell").isTrue();
    Verification v = ConsentLedger.verify(truncated, kept);
    assertThat(v.intact()).isFalse();
    assertThat(v.problem()).isEqualTo(
        "the ledger ends at event 3 but the checkpoint holds event 5: events were removed "
            + "from the end");
  }

  @Test
  void aChainRewrittenWithRecomputedHashesFailsAtTheCheckpoint() {
    LedgerStore genuine = ledgerOf(FIVE);
    Checkpoint kept = ConsentLedger.verify(genuine).head().orElseThrow();
    // The same length, one event changed and every later hash recomputed: a consistent chain.
    LedgerStore rewritten = ledgerOf(List.of(EventType.CONSENT_GIVEN, EventType.CONSENT_GIVEN,
        EventType.CONSENT_WITHDRAWN, EventType.CONSENT_GIVEN, EventType.CONSENT_GIVEN));

    assertThat(ConsentLedger.verify(rewritten).intact()).as("the chain alone cannot tell").isTrue();
    Verification v = ConsentLedger.verify(rewritten, kept);
    assertThat(v.intact()).isFalse();
    assertThat(v.firstBrokenSequence()).isEqualTo(5);
    assertThat(v.problem()).contains("checkpoint").contains("rewritten");
    assertThat(ConsentLedger.verify(genuine, kept).intact()).isTrue();
  }

  @Test
  void aMalformedCheckpointIsRefusedWithoutQuotingIt() {
    for (String bad : List.of("", "5", "x:" + "a".repeat(64), "0:" + "a".repeat(64),
        "5:" + "A".repeat(64), "5:" + "a".repeat(63), "99999999999999999999:" + "a".repeat(64))) {
      assertThatThrownBy(() -> Checkpoint.parse(bad)).as(bad)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageStartingWith("a checkpoint must be written SEQUENCE:HASH");
    }
  }

}
