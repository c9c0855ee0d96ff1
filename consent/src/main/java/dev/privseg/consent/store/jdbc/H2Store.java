package dev.privseg.consent.store.jdbc;

import dev.privseg.core.Checks;
import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * The embedded H2 database, kept in classes of its own so that only its users need
 * {@code com.h2database:h2}: no other class of the stores names an H2 type, so a PostgreSQL user
 * without H2 never loads one, and an H2 user without it gets {@link OptionalDependency#H2}'s
 * message instead of a {@link NoClassDefFoundError}.
 */
final class H2Store {
  private H2Store() {}

  /** A data source and how to release it. */
  record Pool(DataSource dataSource, Runnable dispose) {}

  /**
   * A pooled embedded H2 database in {@code directory} (file {@code consent-ledger.mv.db}). Every
   * commit is written before it returns ({@code WRITE_DELAY=0}): H2's default delay lost committed
   * batches when the process was killed. The OS locks the file for this process
   * ({@code FILE_LOCK=FS}), so a killed process leaves no stale lock. With {@code mustExist}, H2
   * itself refuses to create the file ({@code IFEXISTS}), also if it vanished since it was
   * checked.
   */
  static Pool open(Path directory, boolean mustExist) {
    Checks.notNull(directory, "directory");
    OptionalDependency.H2.require();
    return Pooled.open(directory, mustExist);
  }

  /** Names H2's types; loaded only once H2 is known to be there. */
  private static final class Pooled {
    static Pool open(Path directory, boolean mustExist) {
      String url = "jdbc:h2:file:" + directory.toAbsolutePath().resolve("consent-ledger")
          + ";LOCK_TIMEOUT=30000;FILE_LOCK=FS;WRITE_DELAY=0" + (mustExist ? ";IFEXISTS=TRUE" : "");
      org.h2.jdbcx.JdbcConnectionPool pool =
          org.h2.jdbcx.JdbcConnectionPool.create(url, "privseg", "");
      return new Pool(pool, pool::dispose);
    }
  }
}
