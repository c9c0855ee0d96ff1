package dev.privseg.consent.store.jdbc;

import dev.privseg.consent.ConsentException;

/**
 * The database stores' optional dependencies (they are not forced on every consent user): a
 * missing one is reported naming the artifact to add, instead of a {@link NoClassDefFoundError}
 * from deep inside the first call that needs it.
 */
enum OptionalDependency {
  /** Schema migrations, needed by every database store. */
  FLYWAY("org.flywaydb.core.Flyway", "org.flywaydb:flyway-core (and, for PostgreSQL, "
      + "org.flywaydb:flyway-database-postgresql)", "a consent database"),
  /** The embedded database. */
  H2("org.h2.jdbcx.JdbcConnectionPool", "com.h2database:h2", "the embedded H2 consent database"),
  /** The PostgreSQL driver, for a consent database opened by its JDBC URL. */
  POSTGRESQL("org.postgresql.ds.PGSimpleDataSource", "org.postgresql:postgresql",
      "a PostgreSQL consent database");

  private final String className;
  private final String artifact;
  private final String neededBy;

  OptionalDependency(String className, String artifact, String neededBy) {
    this.className = className;
    this.artifact = artifact;
    this.neededBy = neededBy;
  }

  /** Throws naming the artifact unless this dependency is on the class or module path. */
  void require() {
    if (!present(className)) {
      throw new ConsentException(neededBy + " needs " + artifact + " on the class path (see "
          + "the README's 'Use it from Maven' for the versions tested)");
    }
  }

  /** Whether class {@code className} can be loaded from this module's class loader. */
  static boolean present(String className) {
    try {
      Class.forName(className, false, OptionalDependency.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
