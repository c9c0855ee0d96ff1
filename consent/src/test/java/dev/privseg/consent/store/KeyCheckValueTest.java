package dev.privseg.consent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.consent.Fixtures;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pseudonymize.KeyException;
import dev.privseg.core.pseudonymize.KeyProvider;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consent database knows its key: a ledger opened with another key is refused before it reads
 * or writes anything. Under another key no subject is recognized, so an erased subject's rows
 * would come back as a stranger's (found by a security probe: 600 of 600 erased rows were
 * re-imported under a new key).
 */
class KeyCheckValueTest {
  static final SubjectId ERASED = SubjectId.of("C-erased");

  static void refusesAnotherKey(Supplier<ConsentDatabase> open) {
    SubjectKeyer key = SubjectKeyer.from(KeyProvider.ephemeral());
    SubjectKeyer other = SubjectKeyer.from(KeyProvider.ephemeral());
    long events;
    try (ConsentDatabase db = open.get()) {
      ConsentLedger ledger = db.ledger(key);
      ledger.append(Fixtures.event(ledger.keyOf(ERASED), Fixtures.MARKETING,
          EventType.CONSENT_GIVEN, 1));
      ledger.erase(ERASED, Instant.parse("2026-02-01T00:00:00Z"), "dpo");
      events = db.store().size();
    }
    try (ConsentDatabase db = open.get()) {
      assertThatThrownBy(() -> db.ledger(other))
          .isInstanceOf(KeyException.class)
          .hasMessageContaining("is not the key the ")
          .hasMessageContaining("key check value differs")
          .hasMessageNotContaining(other.checkValue())
          .hasMessageNotContaining(key.checkValue());
      assertThat(db.store().size()).isEqualTo(events);
      ConsentLedger same = db.ledger(key);
      assertThat(same.isErased(ERASED)).isTrue();
    }
  }

  @Test
  void inMemory() {
    InMemoryLedgerStore store = new InMemoryLedgerStore();
    SubjectKeyer key = SubjectKeyer.from(KeyProvider.ephemeral());
    ConsentLedger.open(store, key);
    assertThatThrownBy(() -> ConsentLedger.open(store, SubjectKeyer.from(KeyProvider.ephemeral())))
        .isInstanceOf(KeyException.class);
    ConsentLedger.open(store, key);
  }

  @Test
  void h2(@TempDir Path dir) {
    refusesAnotherKey(() -> ConsentDatabase.h2(dir.resolve("db")));
  }

  @Test
  void postgres() {
    javax.sql.DataSource ds = Databases.freshPostgresSchema();
    refusesAnotherKey(() -> ConsentDatabase.open(ds, "PostgreSQL test"));
  }

  @Test
  void theCheckValueTellsKeysApartAndIsStable() {
    KeyProvider keys = KeyProvider.ephemeral();
    assertThat(SubjectKeyer.from(keys).checkValue())
        .isEqualTo(SubjectKeyer.from(keys).checkValue())
        .isEqualTo(SubjectKeyer.from(keys).withScheme(SubjectKeyer.Scheme.V1).checkValue())
        .isNotEqualTo(SubjectKeyer.from(KeyProvider.ephemeral()).checkValue())
        .hasSize(32);
  }
}
