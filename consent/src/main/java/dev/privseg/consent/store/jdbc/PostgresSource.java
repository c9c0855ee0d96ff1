package dev.privseg.consent.store.jdbc;

import dev.privseg.core.Checks;
import javax.sql.DataSource;

/**
 * A PostgreSQL data source made from a JDBC URL, kept in a class of its own so that only its
 * users need {@code org.postgresql:postgresql}, and one without it gets
 * {@link OptionalDependency#POSTGRESQL}'s message instead of a {@link NoClassDefFoundError}.
 */
final class PostgresSource {
  private PostgresSource() {}

  /** The driver's data source for {@code url}, with {@code password} if not null. */
  static DataSource of(String url, String password) {
    Checks.notBlank(url, "JDBC URL");
    Checks.check(url.startsWith("jdbc:postgresql:"), "a PostgreSQL consent database needs a "
        + "jdbc:postgresql: URL");
    OptionalDependency.POSTGRESQL.require();
    return Driver.of(url, password);
  }

  /** Names the driver's types; loaded only once the driver is known to be there. */
  private static final class Driver {
    static DataSource of(String url, String password) {
      org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
      ds.setURL(url);
      if (password != null) {
        ds.setPassword(password);
      }
      ds.setReWriteBatchedInserts(true);
      return ds;
    }
  }
}
