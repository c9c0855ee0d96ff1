package dev.privseg.consent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.consent.store.jdbc.JdbcLedgerStore;
import dev.privseg.core.Purposes;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pseudonymize.KeyProvider;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application may hand privseg an H2 data source that is not pooled: each operation then
 * opens a connection and closes it, and H2 closes an embedded database with its last connection.
 * An in-memory database vanished between operations that way, and a file database was closed
 * and reopened for every operation, a cycle in which H2 2.3 lost a committed event (the starter's
 * health test caught it: event 1 gone, the next appended as 1). While privseg has such a
 * database open, it keeps the database open too.
 */
class UnpooledH2Test {
  private static final KeyProvider KEYS = KeyProvider.ephemeral();

  private static JdbcDataSource unpooled(String url) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL(url);
    ds.setUser("sa");
    return ds;
  }

  @Test
  void anInMemoryDatabaseLastsWhileTheConsentDatabaseIsOpenAndGoesWithIt() throws SQLException {
    JdbcDataSource ds = unpooled("jdbc:h2:mem:unpooled-" + System.nanoTime());
    try (ConsentDatabase db = ConsentDatabase.open(ds, "unpooled in-memory H2")) {
      ConsentLedger ledger = db.ledger(SubjectKeyer.from(KEYS));
      append(ledger, "C1");
      append(ledger, "C2");
      assertThat(ledger.size()).isEqualTo(2);
      assertThat(ledger.verify().intact()).isTrue();
    }
    assertThatThrownBy(() -> count(ds, "SELECT COUNT(*) FROM privseg_consent_event"))
        .isInstanceOf(SQLException.class); // closed with the consent database: nothing held on
  }

  @Test
  void aFileDatabaseStaysOpenBetweenOperationsUntilClosed(@TempDir Path dir) throws SQLException {
    DataSource ds = unpooled("jdbc:h2:file:" + dir.resolve("app").toAbsolutePath());
    try (ConsentDatabase db = ConsentDatabase.open(ds, "unpooled file H2")) {
      ConsentLedger ledger = db.ledger(SubjectKeyer.from(KEYS));
      append(ledger, "C1");
      // this query's session and the one privseg holds: the database was not closed after append
      assertThat(sessions(ds)).isEqualTo(2);
      append(ledger, "C2");
      assertThat(ledger.verify().intact()).isTrue();
    }
    assertThat(sessions(ds)).isEqualTo(1);
  }

  @Test
  void aLedgerStoreOpenedAloneHoldsItsDatabaseToo(@TempDir Path dir) throws SQLException {
    DataSource ds = unpooled("jdbc:h2:file:" + dir.resolve("app").toAbsolutePath());
    try (JdbcLedgerStore store = JdbcLedgerStore.open(ds, "unpooled file H2")) {
      assertThat(sessions(ds)).isEqualTo(2);
      assertThat(store.size()).isZero();
    }
    assertThat(sessions(ds)).isEqualTo(1);
  }

  private static void append(ConsentLedger ledger, String id) {
    ledger.append(EventDraft.of(ledger.keyOf(SubjectId.of(id)),
        Purposes.MARKETING_SEGMENTATION.id(), EventType.CONSENT_GIVEN,
        Instant.parse("2026-01-01T00:00:00Z"), EventSource.API, "crm"));
  }

  private static long sessions(DataSource ds) throws SQLException {
    return count(ds, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS");
  }

  private static long count(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
