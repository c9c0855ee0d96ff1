package dev.privseg.consent.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.consent.rights.SubjectRequest;
import dev.privseg.consent.store.Databases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database written before schema version 11 is unlinked in place: its tombstones lose their
 * erasure time, and the request-log entries of erased subjects lose their key; other entries keep
 * theirs.
 */
class UnlinkErasedSubjectsMigrationTest {
  static final SubjectKey ERASED = new SubjectKey(0x1234L, -0x5678L);
  static final SubjectKey LIVE = new SubjectKey(42L, 43L);

  static void migratesInPlace(DataSource ds) throws Exception {
    Flyway.configure().dataSource(ds).locations("classpath:META-INF/privseg/consent-migration")
        .table("privseg_consent_schema_history").target("10").load().migrate();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO privseg_erased_subject (lookup_high, lookup_low, erased_at) "
          + "VALUES (" + ERASED.high() + ", " + ERASED.low() + ", 1772359200000)");
      s.executeUpdate("INSERT INTO privseg_subject_request VALUES ('r1', 'ERASURE', '"
          + ERASED.hex() + "', 1772359200000, 'dpo', 'erased', 1)");
      s.executeUpdate("INSERT INTO privseg_subject_request VALUES ('r2', 'ACCESS', '"
          + LIVE.hex() + "', 1772359200000, 'dpo', 'exported', 2)");
    }

    try (ConsentDatabase db = ConsentDatabase.open(ds, "pre-11 database")) {
      assertThat(db.requestLog().requests()).extracting(SubjectRequest::subjectKey)
          .containsExactly(SubjectRequest.UNLINKED, LIVE.hex());
      assertThat(db.directory().isErased(ERASED)).isTrue();
    }
    try (Connection c = ds.getConnection();
        ResultSet rs = c.getMetaData().getColumns(null, c.getSchema(), "%", "%")) {
      while (rs.next()) {
        assertThat(rs.getString("COLUMN_NAME")).isNotEqualToIgnoringCase("erased_at");
      }
    }
  }

  @Test
  void h2(@TempDir Path dir) throws Exception {
    org.h2.jdbcx.JdbcConnectionPool pool = org.h2.jdbcx.JdbcConnectionPool.create(
        "jdbc:h2:file:" + dir.resolve("db") + ";WRITE_DELAY=0", "privseg", "");
    try {
      migratesInPlace(pool);
    } finally {
      pool.dispose();
    }
  }

  @Test
  void postgres() throws Exception {
    migratesInPlace(Databases.freshPostgresSchema());
  }
}
