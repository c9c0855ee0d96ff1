package dev.privseg.consent.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.Fixtures;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pseudonymize.KeyProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;

/**
 * A consent database keeps the subject-key scheme it was written with: one from before schemes
 * were recorded is read with v1 keys, a new one records the default, and a ledger opened with
 * another keyer adopts the database's scheme.
 */
class SubjectKeySchemeStoreTest {
  static final KeyProvider KEYS = KeyProvider.ephemeral();
  static final SubjectId SUBJECT = new SubjectId("C-scheme-1");

  static boolean hasConsent(ConsentLedger ledger) {
    return ledger.state(SUBJECT, Fixtures.MARKETING, Fixtures.day(10)).hasConsent();
  }

  static void checkSchemes(DataSource dataSource) throws Exception {
    try (ConsentDatabase db = ConsentDatabase.open(dataSource, "scheme test")) {
      // Written by a v1 keyer (as every database before schemes were recorded).
      ConsentLedger old = db.ledger(SubjectKeyer.from(KEYS).withScheme(SubjectKeyer.Scheme.V1));
      old.append(Fixtures.event(old.keyOf(SUBJECT), Fixtures.MARKETING, EventType.CONSENT_GIVEN,
          1));
      try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
        s.executeUpdate("DELETE FROM privseg_setting"); // as before schema version 6
      }
      ConsentLedger reopened = db.ledger(SubjectKeyer.from(KEYS));
      assertThat(reopened.keyer().scheme()).isEqualTo(SubjectKeyer.Scheme.V1);
      assertThat(hasConsent(reopened)).isTrue();
    }
  }

  static void checkFresh(DataSource dataSource) throws Exception {
    try (ConsentDatabase db = ConsentDatabase.open(dataSource, "scheme test")) {
      ConsentLedger ledger = db.ledger(SubjectKeyer.from(KEYS));
      assertThat(ledger.keyer().scheme()).isEqualTo(SubjectKeyer.Scheme.V2);
      ledger.append(Fixtures.event(ledger.keyOf(SUBJECT), Fixtures.MARKETING,
          EventType.CONSENT_GIVEN, 1));
      ConsentLedger other = db.ledger(SubjectKeyer.from(KEYS).withScheme(SubjectKeyer.Scheme.V1));
      assertThat(other.keyer().scheme()).isEqualTo(SubjectKeyer.Scheme.V2);
      assertThat(hasConsent(other)).isTrue();
    }
  }

  static JdbcConnectionPool h2(String name) throws Exception {
    Path dir = Files.createTempDirectory("privseg-scheme");
    return JdbcConnectionPool.create("jdbc:h2:file:" + dir.resolve(name) + ";WRITE_DELAY=0",
        "privseg", "");
  }

  @Test
  void h2DatabaseFromBeforeSchemesIsReadWithVersionOneKeys() throws Exception {
    JdbcConnectionPool pool = h2("legacy");
    try {
      checkSchemes(pool);
    } finally {
      pool.dispose();
    }
  }

  @Test
  void newH2DatabaseRecordsTheDefaultSchemeAndKeepsIt() throws Exception {
    JdbcConnectionPool pool = h2("fresh");
    try {
      checkFresh(pool);
    } finally {
      pool.dispose();
    }
  }

  @Test
  void postgresDatabasesKeepTheirSchemeToo() throws Exception {
    checkSchemes(Databases.freshPostgresSchema());
    checkFresh(Databases.freshPostgresSchema());
  }
}
