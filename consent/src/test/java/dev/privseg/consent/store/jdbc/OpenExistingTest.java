package dev.privseg.consent.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.consent.ConsentException;
import dev.privseg.consent.Fixtures;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.store.Databases;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a database that must exist creates nothing: a mistyped path or database is reported as
 * that, not as an empty database (which a read-only command would then report on as if real).
 */
class OpenExistingTest {

  @Test
  void aMissingH2DatabaseIsReportedAndNothingIsCreated(@TempDir Path dir) {
    Path typo = dir.resolve("consnet-db");

    assertThatThrownBy(() -> ConsentDatabase.h2Existing(typo))
        .isInstanceOf(ConsentException.class)
        .hasMessageStartingWith("no consent database in " + typo)
        .hasMessageContaining("check the path");
    assertThat(typo).doesNotExist();

    // An existing directory without a database: still nothing created in it.
    assertThatThrownBy(() -> ConsentDatabase.h2Existing(dir))
        .isInstanceOf(ConsentException.class);
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void anExistingH2DatabaseOpensWithWhatItHolds(@TempDir Path dir) {
    try (ConsentDatabase db = ConsentDatabase.h2(dir.resolve("db"))) {
      db.ledger(Fixtures.KEYER).append(Fixtures.event("C1", EventType.CONSENT_GIVEN, 0));
    }
    try (ConsentDatabase db = ConsentDatabase.h2Existing(dir.resolve("db"))) {
      assertThat(db.store().size()).isEqualTo(1);
    }
  }

  @Test
  void aPostgresDatabaseWithoutConsentTablesIsReportedAndLeftUntouched() throws Exception {
    DataSource empty = Databases.freshPostgresSchema();

    assertThatThrownBy(() -> ConsentDatabase.openExisting(empty, "PostgreSQL test"))
        .isInstanceOf(ConsentException.class)
        .hasMessage("the PostgreSQL test holds no privseg consent tables: check the database "
            + "named; they are created only by a command that records consents, such as "
            + "'consent import', or by ConsentDatabase.open");
    try (java.sql.Connection c = empty.getConnection();
        java.sql.ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", null)) {
      assertThat(rs.next()).as("a table was created").isFalse();
    }

    ConsentDatabase.open(empty, "PostgreSQL test").close();
    try (ConsentDatabase db = ConsentDatabase.openExisting(empty, "PostgreSQL test")) {
      assertThat(db.store().size()).isZero();
    }
  }

  @Test
  void anH2FileStaysAbsentEvenIfTheDirectoryExists(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("db"));
    assertThatThrownBy(() -> ConsentDatabase.h2Existing(dir.resolve("db")))
        .isInstanceOf(ConsentException.class);
    assertThat(dir.resolve("db")).isEmptyDirectory();
  }
}
