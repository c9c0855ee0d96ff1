package dev.privseg.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code privseg.*} properties of the starter. Every one has a default, so an application
 * with a {@code DataSource} and a key needs none of them.
 */
@ConfigurationProperties("privseg")
public class PrivsegProperties {
  private final Consent consent = new Consent();
  private final Key keys = new Key();
  /**
   * The purposes processed for, by purpose id, each with its policy: description (required),
   * lawful-basis (default CONSENT), consent-expiry (e.g. P24M), direct-marketing,
   * opt-out-excludes (default true), minimum-notice-version.
   */
  private final java.util.Map<String, Purpose> purposes = new java.util.LinkedHashMap<>();
  /**
   * The segmentation pipelines, by name: where each one's spec is (a resource location such as
   * classpath:segmentation/offers.yaml). Needs privseg-spec on the class path.
   */
  private final java.util.Map<String, String> pipelines = new java.util.LinkedHashMap<>();
  /** The directory the pipelines' relative paths (schema files, CSV input) resolve against. */
  private java.nio.file.Path pipelineDirectory = java.nio.file.Path.of(".");

  /** The consent database's settings. */
  public Consent getConsent() {
    return consent;
  }

  /**
   * Where the key comes from ({@code privseg.keys.*}). Not {@code privseg.key}: Spring Boot
   * reads the environment variable PRIVSEG_KEY, which holds the key itself, as that property.
   */
  public Key getKeys() {
    return keys;
  }

  /**
   * The purposes the application processes for, by purpose id (e.g.
   * {@code privseg.purposes.marketing-segmentation.description=E-mail offers}), each with the
   * policy its subjects are decided by. With at least one, the consent gate, subject rights and
   * activation checks are beans.
   */
  public java.util.Map<String, Purpose> getPurposes() {
    return purposes;
  }

  /**
   * The segmentation pipelines by name, each the location of its spec (e.g.
   * {@code privseg.pipelines.offers=classpath:segmentation/offers.yaml}). With at least one, and
   * privseg-spec on the class path, the {@link SegmentationService} is a bean.
   */
  public java.util.Map<String, String> getPipelines() {
    return pipelines;
  }

  /** The directory the pipelines' relative paths resolve against. */
  public java.nio.file.Path getPipelineDirectory() {
    return pipelineDirectory;
  }

  /** Sets the directory the pipelines' relative paths resolve against. */
  public void setPipelineDirectory(java.nio.file.Path pipelineDirectory) {
    this.pipelineDirectory = pipelineDirectory;
  }

  /** A purpose and the policy its subjects are decided by. */
  public static class Purpose {
    /** The purpose in plain words, as records and access exports state it. Required. */
    private String description;

    /** The lawful basis relied on (GDPR Art. 6(1)). */
    private dev.privseg.core.LawfulBasis lawfulBasis = dev.privseg.core.LawfulBasis.CONSENT;

    /** After how long a consent lapses (e.g. P24M); never when unset. */
    private java.time.Period consentExpiry;

    /** Whether the purpose is direct marketing: an objection then always excludes. */
    private boolean directMarketing;

    /** Whether an opt-out of sale or sharing (CCPA/CPRA) excludes the subject. */
    private boolean optOutExcludes = true;

    /** The oldest notice version under which a consent still counts; any when unset. */
    private String minimumNoticeVersion;

    /** The purpose in plain words. */
    public String getDescription() {
      return description;
    }

    /** Sets the purpose in plain words. */
    public void setDescription(String description) {
      this.description = description;
    }

    /** The lawful basis relied on. */
    public dev.privseg.core.LawfulBasis getLawfulBasis() {
      return lawfulBasis;
    }

    /** Sets the lawful basis relied on. */
    public void setLawfulBasis(dev.privseg.core.LawfulBasis lawfulBasis) {
      this.lawfulBasis = lawfulBasis;
    }

    /** After how long a consent lapses, or null. */
    public java.time.Period getConsentExpiry() {
      return consentExpiry;
    }

    /** Sets after how long a consent lapses. */
    public void setConsentExpiry(java.time.Period consentExpiry) {
      this.consentExpiry = consentExpiry;
    }

    /** Whether the purpose is direct marketing. */
    public boolean isDirectMarketing() {
      return directMarketing;
    }

    /** Sets whether the purpose is direct marketing. */
    public void setDirectMarketing(boolean directMarketing) {
      this.directMarketing = directMarketing;
    }

    /** Whether an opt-out of sale or sharing excludes the subject. */
    public boolean isOptOutExcludes() {
      return optOutExcludes;
    }

    /** Sets whether an opt-out of sale or sharing excludes the subject. */
    public void setOptOutExcludes(boolean optOutExcludes) {
      this.optOutExcludes = optOutExcludes;
    }

    /** The oldest notice version under which a consent counts, or null. */
    public String getMinimumNoticeVersion() {
      return minimumNoticeVersion;
    }

    /** Sets the oldest notice version under which a consent counts. */
    public void setMinimumNoticeVersion(String minimumNoticeVersion) {
      this.minimumNoticeVersion = minimumNoticeVersion;
    }
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
    /**
     * A PKCS#12 (or .jceks) key store holding the key as a secret-key entry, used instead of the
     * environment variable when set.
     */
    private java.nio.file.Path keystore;
    /** The key store entry's alias. */
    private String alias = "privseg";
    /** The environment variable holding the key store's password (never the password itself). */
    private String passwordEnvironmentVariable = "PRIVSEG_KEYSTORE_PASSWORD";

    /** The key store holding the key, or null to read the environment variable. */
    public java.nio.file.Path getKeystore() {
      return keystore;
    }

    /** Sets the key store holding the key. */
    public void setKeystore(java.nio.file.Path keystore) {
      this.keystore = keystore;
    }

    /** The key store entry's alias. */
    public String getAlias() {
      return alias;
    }

    /** Sets the key store entry's alias. */
    public void setAlias(String alias) {
      this.alias = alias;
    }

    /** The environment variable holding the key store's password. */
    public String getPasswordEnvironmentVariable() {
      return passwordEnvironmentVariable;
    }

    /** Sets the environment variable holding the key store's password. */
    public void setPasswordEnvironmentVariable(String passwordEnvironmentVariable) {
      this.passwordEnvironmentVariable = passwordEnvironmentVariable;
    }

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
