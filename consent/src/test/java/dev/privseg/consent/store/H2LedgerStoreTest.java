package dev.privseg.consent.store;

import static dev.privseg.consent.Fixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.Fixtures;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.store.jdbc.JdbcLedgerStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;

class H2LedgerStoreTest extends LedgerStoreContract {
  Path dir;

  @Override
  LedgerStore newStore() throws Exception {
    dir = Files.createTempDirectory("privseg-h2-ledger");
    return JdbcLedgerStore.h2(dir);
  }

  @Test
  void eventsSurviveReopeningTheFile() {
    ledger.append(event("a", EventType.CONSENT_GIVEN, 1));
    store.close();

    try (JdbcLedgerStore reopened = JdbcLedgerStore.h2(dir)) {
      ConsentLedger again = ConsentLedger.open(reopened, Fixtures.KEYER);
      assertThat(again.size()).isEqualTo(1);
      assertThat(again.verify().intact()).isTrue();
      store = reopened;
    }
    store = JdbcLedgerStore.h2(dir);
  }

  @Test
  void aHostsH2ConnectionIsReturnedWithoutLazyQueryExecution() throws Exception {
    JdbcConnectionPool pool = JdbcConnectionPool.create(
        "jdbc:h2:mem:privseg-lazy-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
    try (JdbcLedgerStore host = JdbcLedgerStore.open(pool, "host H2")) {
      // Opening migrated the schema over more connections; from here on the pool keeps two: the
      // one the store holds to keep the embedded database open, and one that every operation
      // below runs in, so they all run in the same H2 session.
      pool.setMaxConnections(2);
      ConsentLedger hostLedger = ConsentLedger.open(host, Fixtures.KEYER);
      hostLedger.appendAll(java.util.List.of(event("a", EventType.CONSENT_GIVEN, 1),
          event("b", EventType.OBJECTION, 2)));
      java.util.List<String> types = new java.util.ArrayList<>();
      host.scanEffects(Fixtures.MARKETING, Fixtures.day(5),
          (high, low, type, at, notice) -> types.add(type.name()));
      assertThat(types).containsExactly("CONSENT_GIVEN", "OBJECTION");
      assertThat(hostLedger.verify().intact()).isTrue();
      try (Connection c = pool.getConnection()) {
        SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
        assertThat(session.isLazyQueryExecution()).as("H2's default, as the host gave it")
            .isFalse();
      }
    } finally {
      pool.dispose();
    }
  }

  @Test
  void tamperingWithAStoredEventIsReportedAtItsSequence() throws Exception {
    for (int i = 0; i < 5; i++) {
      ledger.append(event("s" + i, EventType.CONSENT_GIVEN, i));
    }
    store.close();
    String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("consent-ledger")
        + ";FILE_LOCK=FS";
    try (Connection c = DriverManager.getConnection(url, "privseg", "");
        Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE privseg_consent_event SET event_type = 'CONSENT_WITHDRAWN' "
          + "WHERE seq = 3");
    }
    store = JdbcLedgerStore.h2(dir);
    ledger = ConsentLedger.open(store, Fixtures.KEYER);

    assertThat(ledger.verify()).satisfies(v -> {
      assertThat(v.intact()).isFalse();
      assertThat(v.firstBrokenSequence()).isEqualTo(3);
      assertThat(v.problem()).contains("hash does not match");
    });
  }
}
