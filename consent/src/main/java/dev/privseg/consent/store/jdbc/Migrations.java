package dev.privseg.consent.store.jdbc;

import dev.privseg.consent.ConsentException;
import dev.privseg.core.Checks;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** The consent schema's Flyway migrations and the embedded H2 data source. */
final class Migrations {
  private static final String LOCATION = "classpath:META-INF/privseg/consent-migration";

  private Migrations() {}

  /** Creates or upgrades the consent tables; idempotent. */
  static void migrate(DataSource dataSource, String description) {
    try {
      Flyway.configure()
          .dataSource(dataSource)
          .locations(LOCATION)
          .table("privseg_consent_schema_history")
          .load()
          .migrate();
    } catch (RuntimeException e) {
      throw new ConsentException("cannot migrate the consent schema in " + description + ": "
          + e.getClass().getSimpleName(), e);
    }
  }

  /**
   * A pooled embedded H2 database in {@code directory} (file {@code consent-ledger.mv.db}). Every
   * commit is written before it returns ({@code WRITE_DELAY=0}): H2's default delay lost committed
   * batches when the process was killed. The OS locks the file for this process
   * ({@code FILE_LOCK=FS}), so a killed process leaves no stale lock.
   */
  static org.h2.jdbcx.JdbcConnectionPool h2Pool(Path directory) {
    Checks.notNull(directory, "directory");
    String url = "jdbc:h2:file:" + directory.toAbsolutePath().resolve("consent-ledger")
        + ";LOCK_TIMEOUT=30000;FILE_LOCK=FS;WRITE_DELAY=0";
    return org.h2.jdbcx.JdbcConnectionPool.create(url, "privseg", "");
  }
}
