package dev.privseg.consent.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.Purposes;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pseudonymize.KeyProvider;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * The consent tables usually go into the host's own database, beside its tables: opening there
 * must migrate privseg's tables and leave the host's alone (Flyway refuses a non-empty schema
 * without a baseline, which made this fail before).
 */
class HostDatabaseTest {

  @Test
  void consentTablesMigrateIntoAnH2DatabaseThatAlreadyHoldsHostTables() throws SQLException {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:host-database-test;DB_CLOSE_DELAY=-1");
    opensBesideHostTables(h2);
  }

  @Test
  void consentTablesMigrateIntoAPostgresSchemaThatAlreadyHoldsHostTables() throws SQLException {
    opensBesideHostTables(Databases.freshPostgresSchema());
  }

  private static void opensBesideHostTables(DataSource host) throws SQLException {
    try (Connection c = host.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE customers (id VARCHAR(20) PRIMARY KEY, tier INT)");
      s.execute("INSERT INTO customers VALUES ('C1', 2)");
    }
    KeyProvider keys = KeyProvider.ephemeral();
    for (int open = 0; open < 2; open++) { // and again: migration is idempotent
      try (ConsentDatabase db = ConsentDatabase.open(host, "host database")) {
        ConsentLedger ledger = db.ledger(SubjectKeyer.from(keys));
        ledger.append(EventDraft.of(ledger.keyOf(SubjectId.of("C1")),
            Purposes.MARKETING_SEGMENTATION.id(), EventType.CONSENT_GIVEN,
            Instant.parse("2026-01-0" + (open + 1) + "T00:00:00Z"), EventSource.API, "crm"));
        assertThat(ledger.size()).isEqualTo(open + 1);
        assertThat(ledger.verify().intact()).isTrue();
      }
    }
    try (Connection c = host.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, tier FROM customers")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("C1");
      assertThat(rs.getInt(2)).isEqualTo(2);
      assertThat(rs.next()).isFalse();
    }
  }
}
