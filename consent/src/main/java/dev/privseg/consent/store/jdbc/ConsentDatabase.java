package dev.privseg.consent.store.jdbc;

import dev.privseg.consent.ConsentException;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.core.Checks;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * The ledger store, subject directory, request log and privacy-spend log of one database, opened together on one
 * data source: what a host (or the CLI) uses to keep consents durably.
 *
 * <pre>{@code
 * try (ConsentDatabase db = ConsentDatabase.h2(Path.of("/var/lib/crm/consents"))) {
 *   ConsentLedger ledger = db.ledger(SubjectKeyer.from(keys));
 *   ...
 * }
 * }</pre>
 */
public final class ConsentDatabase implements AutoCloseable {
  private final JdbcLedgerStore store;
  private final JdbcSubjectDirectory directory;
  private final JdbcRequestLog requestLog;
  private final JdbcActivationLog activations;
  private final JdbcStatusSnapshots statusSnapshots;
  private final JdbcSpendLog spendLog;
  private final JdbcMembershipRegistry memberships;
  private final Runnable onClose;

  /**
   * The version of the consent schema this privseg reads and writes: the last of the migrations it
   * ships, and the {@code schema_version} setting of a current database.
   */
  public static final int SCHEMA_VERSION = 20;

  private ConsentDatabase(DataSource dataSource, String description, Runnable onClose) {
    this(dataSource, description, onClose, true);
  }

  /** With {@code migrate}, brings the schema up to date once; else checks that it is. */
  private ConsentDatabase(DataSource dataSource, String description, Runnable onClose,
      boolean migrate) {
    Runnable release = EmbeddedH2Hold.holdWhile(dataSource, description, () -> {
      if (migrate) {
        Migrations.migrate(dataSource, description);
      } else {
        Migrations.requireSchemaVersion(dataSource, description, SCHEMA_VERSION);
      }
    });
    this.store = JdbcLedgerStore.attach(dataSource, description);
    this.directory = JdbcSubjectDirectory.attach(dataSource, description);
    this.requestLog = JdbcRequestLog.attach(dataSource, description);
    this.activations = JdbcActivationLog.attach(dataSource, description);
    this.statusSnapshots = JdbcStatusSnapshots.attach(dataSource, description);
    this.spendLog = JdbcSpendLog.attach(dataSource, description);
    this.memberships = JdbcMembershipRegistry.attach(dataSource, description);
    this.onClose = () -> {
      release.run();
      onClose.run();
    };
  }

  /**
   * The embedded H2 database in {@code directory}, created if absent (with the directory). For
   * commands that only read or act on what is held, use {@link #h2Existing}: a mistyped path then
   * fails as that, instead of opening a new, empty database.
   */
  public static ConsentDatabase h2(Path directory) {
    H2Store.Pool pool = H2Store.open(directory, false);
    return new ConsentDatabase(pool.dataSource(), "H2 consent database in "
        + directory.getFileName(), pool.dispose());
  }

  /**
   * The embedded H2 database in {@code directory}, which must already hold one: nothing is
   * created. Its schema is brought up to date.
   *
   * @throws ConsentException naming the directory if it holds no consent database
   */
  public static ConsentDatabase h2Existing(Path directory) {
    Checks.notNull(directory, "directory");
    if (!Files.isRegularFile(Migrations.h2File(directory))) {
      throw new ConsentException("no consent database in " + directory + " (no file "
          + Migrations.h2File(directory).getFileName() + " there): check the path; a database "
          + "is created only by a command that records consents, such as 'consent import'");
    }
    H2Store.Pool pool = H2Store.open(directory, true);
    try {
      return new ConsentDatabase(pool.dataSource(), "H2 consent database in "
          + directory.getFileName(), pool.dispose());
    } catch (RuntimeException e) {
      pool.dispose().run();
      throw e;
    }
  }

  /**
   * The PostgreSQL database at {@code jdbcUrl} (e.g. {@code jdbc:postgresql://host/db?user=u}),
   * through the driver's own data source with batched inserts rewritten; the consent tables are
   * created there if absent. For a pooled data source of the host's, use {@link #open}.
   *
   * @param password the password, or null if the URL or the server needs none
   */
  public static ConsentDatabase postgres(String jdbcUrl, String password) {
    return open(PostgresSource.of(jdbcUrl, password), "PostgreSQL consent database");
  }

  /**
   * As {@link #postgres}, for a database that must already hold privseg's consent tables:
   * nothing is created.
   *
   * @throws ConsentException if the database holds no consent tables
   */
  public static ConsentDatabase postgresExisting(String jdbcUrl, String password) {
    return openExisting(PostgresSource.of(jdbcUrl, password), "PostgreSQL consent database");
  }

  /**
   * The database behind {@code dataSource} (pooled, e.g. PostgreSQL); the consent tables are
   * created there if absent, beside any tables of the host's. An embedded H2 database is kept
   * open (one connection held) until this is closed, pooled or not.
   */
  public static ConsentDatabase open(DataSource dataSource, String description) {
    return new ConsentDatabase(Checks.notNull(dataSource, "dataSource"),
        Checks.notBlank(description, "description"), () -> {});
  }

  /**
   * The database behind {@code dataSource}, which must already hold privseg's consent tables:
   * nothing is created. Their schema is brought up to date.
   *
   * @throws ConsentException naming {@code description} if the database holds no consent tables
   */
  public static ConsentDatabase openExisting(DataSource dataSource, String description) {
    Checks.notNull(dataSource, "dataSource");
    Checks.notBlank(description, "description");
    Migrations.requireConsentTables(dataSource, description);
    return new ConsentDatabase(dataSource, description, () -> {});
  }

  /**
   * The database behind {@code dataSource}, whose consent schema the host manages: its DBA, or its
   * own Flyway or Liquibase, applies the SQL privseg ships (see {@code docs/consent.md}, "Running
   * the migrations yourself"). privseg runs no DDL here; it checks that the schema is at
   * {@link #SCHEMA_VERSION} and refuses otherwise.
   *
   * @throws ConsentException naming {@code description} if the database holds no consent tables,
   *     or holds them at another version (naming both versions)
   */
  public static ConsentDatabase openWithoutMigrations(DataSource dataSource,
      String description) {
    Checks.notNull(dataSource, "dataSource");
    Checks.notBlank(description, "description");
    return new ConsentDatabase(dataSource, description, () -> {}, false);
  }

  /** A ledger over this database's store, keying subjects through its directory. */
  public ConsentLedger ledger(SubjectKeyer keyer) {
    return ConsentLedger.open(store, keyer, directory);
  }

  /** The ledger store. */
  public JdbcLedgerStore store() {
    return store;
  }

  /** The subject directory. */
  public JdbcSubjectDirectory directory() {
    return directory;
  }

  /** The request log. */
  public JdbcRequestLog requestLog() {
    return requestLog;
  }

  /** The activations of registered runs' segments (see {@link dev.privseg.consent.Activations}). */
  public JdbcActivationLog activations() {
    return activations;
  }

  /**
   * The status snapshots, from which a compliance status reads each purpose's subjects and then
   * only the events appended since ({@code ComplianceMonitor.Builder.snapshots}).
   */
  public JdbcStatusSnapshots statusSnapshots() {
    return statusSnapshots;
  }

  /** The segment memberships of registered runs. */
  public JdbcMembershipRegistry memberships() {
    return memberships;
  }

  /** The privacy-budget spend log (for a persistent accountant in the anonymization module). */
  public JdbcSpendLog spendLog() {
    return spendLog;
  }

  @Override
  public void close() {
    onClose.run();
  }

  @Override
  public String toString() {
    return "ConsentDatabase[" + store.description() + "]";
  }
}
