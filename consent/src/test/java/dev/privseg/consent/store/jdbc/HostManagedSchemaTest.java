package dev.privseg.consent.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.consent.ConsentException;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.consent.rights.SubjectRequest;
import dev.privseg.consent.store.Databases;
import dev.privseg.core.Purposes;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pseudonymize.KeyProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host may manage the consent schema itself (its DBA, Flyway or Liquibase) from the SQL privseg
 * ships: the schema it gets is the one privseg makes, privseg then runs no DDL, and it refuses a
 * schema at another version, naming both.
 */
class HostManagedSchemaTest {
  static final String MIGRATIONS = "classpath:META-INF/privseg/consent-migration";
  static final String POSTGRES_SQL = "classpath:META-INF/privseg/consent-sql/postgresql";

  @Test
  void aCurrentDatabaseRecordsTheVersionOfTheLastMigrationShipped(@TempDir Path dir)
      throws Exception {
    int last;
    try (Stream<Path> files = Files.list(Path.of(
        "src/main/resources/META-INF/privseg/consent-migration"))) {
      last = files.map(f -> f.getFileName().toString())
          .filter(n -> n.matches("V\\d+__.*\\.sql"))
          .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
    }
    assertThat(ConsentDatabase.SCHEMA_VERSION).isEqualTo(last);
    try (ConsentDatabase db = ConsentDatabase.h2(dir)) {
      assertThat(db).isNotNull();
    }
    org.h2.jdbcx.JdbcConnectionPool pool = h2(dir);
    try (Connection c = pool.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT setting FROM privseg_setting WHERE name = 'schema_version'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(String.valueOf(last));
    } finally {
      pool.dispose();
    }
  }

  @Test
  void withoutMigrationsNothingIsCreatedAndAnotherVersionIsRefusedNamingBoth(@TempDir Path dir)
      throws Exception {
    org.h2.jdbcx.JdbcConnectionPool pool = h2(dir);
    try {
      assertThatThrownBy(() -> ConsentDatabase.openWithoutMigrations(pool, "CRM database"))
          .isInstanceOf(ConsentException.class)
          .hasMessageStartingWith("the CRM database holds no privseg consent tables: apply the "
              + "consent schema's SQL up to version " + ConsentDatabase.SCHEMA_VERSION + " first");
      assertThat(tables(pool)).isEmpty();

      hostMigrates(pool, "12", false);
      assertThatThrownBy(() -> ConsentDatabase.openWithoutMigrations(pool, "CRM database"))
          .isInstanceOf(ConsentException.class)
          .hasMessage("the consent schema in the CRM database is at version 12 or older but "
              + "this privseg needs " + ConsentDatabase.SCHEMA_VERSION + ": apply the "
              + "migrations after version 12 up to " + ConsentDatabase.SCHEMA_VERSION);

      hostMigrates(pool, null, false);
      TreeSet<String> before = tables(pool);
      try (ConsentDatabase db = ConsentDatabase.openWithoutMigrations(pool, "CRM database")) {
        appendAndVerify(db);
      }
      assertThat(tables(pool)).isEqualTo(before);

      try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
        s.executeUpdate("UPDATE privseg_setting SET setting = '"
            + (ConsentDatabase.SCHEMA_VERSION + 1) + "' WHERE name = 'schema_version'");
      }
      assertThatThrownBy(() -> ConsentDatabase.openWithoutMigrations(pool, "CRM database"))
          .isInstanceOf(ConsentException.class)
          .hasMessage("the consent schema in the CRM database is at version "
              + (ConsentDatabase.SCHEMA_VERSION + 1) + ", newer than this privseg reads ("
              + ConsentDatabase.SCHEMA_VERSION + "): upgrade privseg");
    } finally {
      pool.dispose();
    }
  }

  /** The PostgreSQL SQL a DBA applies gives the schema privseg makes, and erasure unlinks. */
  @Test
  void onPostgresTheShippedSqlGivesThePrivsegSchemaAndUnlinksErasedSubjects() throws Exception {
    DataSource byPrivseg = Databases.freshPostgresSchema();
    try (ConsentDatabase db = ConsentDatabase.open(byPrivseg, "privseg-managed")) {
      appendAndVerify(db);
    }
    DataSource byHost = Databases.freshPostgresSchema();
    hostMigrates(byHost, "10", true);
    try (Connection c = byHost.getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO privseg_erased_subject (lookup_high, lookup_low, erased_at) "
          + "VALUES (" + UnlinkErasedSubjectsMigrationTest.ERASED.high() + ", "
          + UnlinkErasedSubjectsMigrationTest.ERASED.low() + ", 1772359200000)");
      s.executeUpdate("INSERT INTO privseg_subject_request VALUES ('r1', 'ERASURE', '"
          + UnlinkErasedSubjectsMigrationTest.ERASED.hex() + "', 1772359200000, 'dpo', 'x', 1)");
      s.executeUpdate("INSERT INTO privseg_subject_request VALUES ('r2', 'ACCESS', '"
          + UnlinkErasedSubjectsMigrationTest.LIVE.hex() + "', 1772359200000, 'dpo', 'x', 2)");
    }
    hostMigrates(byHost, null, true);
    try (ConsentDatabase db = ConsentDatabase.openWithoutMigrations(byHost, "host-managed")) {
      assertThat(db.requestLog().requests()).extracting(SubjectRequest::subjectKey)
          .containsExactly(SubjectRequest.UNLINKED, UnlinkErasedSubjectsMigrationTest.LIVE.hex());
      appendAndVerify(db);
    }
    assertThat(columns(byHost)).isEqualTo(columns(byPrivseg));
  }

  /**
   * Applies the shipped SQL as a host would, with its own history table and no Java: up to
   * {@code target} (all if null), taking version 11 from the PostgreSQL SQL if {@code postgres}.
   */
  private static void hostMigrates(DataSource ds, String target, boolean postgres) {
    var config = Flyway.configure().dataSource(ds).table("host_schema_history")
        .locations(postgres ? new String[] {MIGRATIONS, POSTGRES_SQL}
            : new String[] {MIGRATIONS})
        .ignoreMigrationPatterns("*:missing")
        .baselineOnMigrate(true).baselineVersion("0");
    if (target != null) {
      config.target(target);
    }
    if (!postgres) {
      // H2 has no SQL form of version 11; the Java migration stands in for the DBA's script.
      config.javaMigrations(new UnlinkErasedSubjects());
    }
    config.load().migrate();
  }

  private static void appendAndVerify(ConsentDatabase db) {
    ConsentLedger ledger = db.ledger(SubjectKeyer.from(KeyProvider.ephemeral()));
    ledger.append(new EventDraft(ledger.keyOf(SubjectId.of("C1")),
        Purposes.MARKETING_SEGMENTATION.id(), EventType.CONSENT_GIVEN,
        Instant.parse("2026-11-01T00:00:00Z"), EventSource.WEB_FORM, "notice-3", "crm",
        "form-7"));
    assertThat(ledger.verify().intact()).isTrue();
  }

  private static org.h2.jdbcx.JdbcConnectionPool h2(Path dir) {
    return org.h2.jdbcx.JdbcConnectionPool.create("jdbc:h2:file:" + dir.resolve("consent-ledger")
        + ";WRITE_DELAY=0", "privseg", "");
  }

  private static TreeSet<String> tables(DataSource ds) throws Exception {
    TreeSet<String> out = new TreeSet<>();
    try (Connection c = ds.getConnection();
        ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%",
            new String[] {"TABLE"})) {
      while (rs.next()) {
        out.add(rs.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT));
      }
    }
    return out;
  }

  /** Every column of privseg's tables (not the migration history), with type and nullability. */
  private static List<String> columns(DataSource ds) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = ds.getConnection();
        ResultSet rs = c.getMetaData().getColumns(null, c.getSchema(), "privseg_%", "%")) {
      while (rs.next()) {
        String table = rs.getString("TABLE_NAME");
        if (!table.endsWith("_history")) {
          out.add(table + "." + rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME")
              + " " + rs.getString("IS_NULLABLE"));
        }
      }
    }
    out.sort(null);
    return out;
  }
}
