package dev.privseg.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code privseg.*} properties of the starter. Every one has a default, so an application
 * with a {@code DataSource} and a key needs none of them.
 */
@ConfigurationProperties("privseg")
public class PrivsegProperties {
  private final Consent consent = new Consent();
  private final Key key = new Key();

  /** The consent database's settings. */
  public Consent getConsent() {
    return consent;
  }

  /** Where the key comes from. */
  public Key getKey() {
    return key;
  }

  /** The consent database, in the application's {@code DataSource}. */
  public static class Consent {
    /**
     * Whether privseg creates and upgrades its consent tables itself when the application
     * starts. Set it to false when the application's own Flyway or Liquibase applies privseg's
     * SQL (shipped in the privseg-consent jar under META-INF/privseg); privseg then runs no DDL
     * and refuses a schema at another version.
     */
    private boolean migrate = true;

    /**
     * How the database is named in processing records and messages (never a URL with
     * credentials).
     */
    private String name = "application database";

    /** Whether privseg migrates its tables itself. */
    public boolean isMigrate() {
      return migrate;
    }

    /** Sets whether privseg migrates its tables itself. */
    public void setMigrate(boolean migrate) {
      this.migrate = migrate;
    }

    /** The database's name in records and messages. */
    public String getName() {
      return name;
    }

    /** Sets the database's name in records and messages. */
    public void setName(String name) {
      this.name = name;
    }
  }

  /** The key that keys subjects in the ledger and the directory. */
  public static class Key {
    /**
     * The environment variable holding the key, Base64 of at least 32 random bytes, read when
     * the application defines no KeyProvider bean of its own (a KMS, a keystore).
     */
    private String environmentVariable = "PRIVSEG_KEY";

    /** The environment variable holding the key. */
    public String getEnvironmentVariable() {
      return environmentVariable;
    }

    /** Sets the environment variable holding the key. */
    public void setEnvironmentVariable(String environmentVariable) {
      this.environmentVariable = environmentVariable;
    }
  }
}
