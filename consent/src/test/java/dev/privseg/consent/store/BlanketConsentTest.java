package dev.privseg.consent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.consent.ConsentGate;
import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.Fixtures;
import dev.privseg.consent.ledger.ConsentEvent;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.PurposeId;
import dev.privseg.core.Purposes;
import dev.privseg.core.SubjectId;
import dev.privseg.core.gate.BasisDecision;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GDPR consent is specific to a purpose (Art. 4(11), 6(1)(a)): a consent for every purpose at
 * once is refused when recorded, and one already in a database grants nothing, in every store and
 * on both the per-subject and the snapshot path.
 */
class BlanketConsentTest {
  static final SubjectId SUBJECT = SubjectId.of("C-blanket");

  @Test
  void aBlanketConsentCannotBeRecorded() {
    ConsentLedger ledger = ConsentLedger.inMemory(Fixtures.KEYER);
    for (EventType type : List.of(EventType.CONSENT_GIVEN, EventType.EXPLICIT_CONSENT_GIVEN)) {
      assertThatThrownBy(() -> Fixtures.event(ledger.keyOf(SUBJECT), ConsentEvent.ALL_PURPOSES,
          type, 1))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("a consent must be given for one specific purpose (GDPR Art. 4(11), "
              + "6(1)(a)), not for 'all-purposes': record one consent per purpose");
    }
    // Events that protect the subject may still concern every purpose.
    ledger.append(Fixtures.event(ledger.keyOf(SUBJECT), ConsentEvent.ALL_PURPOSES,
        EventType.RESTRICTION, 1));
  }

  /** A blanket consent written before it was refused (here by SQL) grants nothing. */
  static void anOldBlanketConsentGrantsNothing(DataSource ds, ConsentDatabase db)
      throws Exception {
    ConsentLedger ledger = db.ledger(Fixtures.KEYER);
    ledger.append(Fixtures.event(ledger.keyOf(SUBJECT), PurposeId.of("placeholder"),
        EventType.CONSENT_GIVEN, 1));
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      assertThat(s.executeUpdate("UPDATE privseg_consent_event SET purpose = 'all-purposes'"))
          .isEqualTo(1);
    }

    assertThat(ledger.state(SUBJECT, Fixtures.MARKETING, Fixtures.day(5)).hasConsent()).isFalse();
    ConsentGate gate = ConsentGate.of(ledger, List.of(
        ConsentPolicy.forPurpose(Purposes.MARKETING_SEGMENTATION).build()));
    assertThat(gate.forRun(Purposes.MARKETING_SEGMENTATION, Fixtures.day(5)).decide(SUBJECT))
        .isEqualTo(BasisDecision.NO_BASIS);
    assertThat(gate.decide(SUBJECT, Purposes.MARKETING_SEGMENTATION, Fixtures.day(5)))
        .isEqualTo(BasisDecision.NO_BASIS);
  }

  @Test
  void h2(@TempDir Path dir) throws Exception {
    Databases.onH2(dir, BlanketConsentTest::anOldBlanketConsentGrantsNothing);
  }

  @Test
  void postgres() throws Exception {
    Databases.onPostgres(BlanketConsentTest::anOldBlanketConsentGrantsNothing);
  }
}
