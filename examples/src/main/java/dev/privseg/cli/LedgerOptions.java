package dev.privseg.cli;

import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.pseudonymize.KeyProvider;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where the consent database is and which key names subjects in it. */
final class LedgerOptions {
  @Option(names = "--db", defaultValue = "privseg-consents",
      description = "Directory of the embedded H2 consent database (default: ${DEFAULT-VALUE}).")
  Path db;

  @Option(names = "--jdbc", description = "JDBC URL of a PostgreSQL consent database instead, "
      + "e.g. jdbc:postgresql://host/db?user=u (the password from PGPASSWORD if needed).")
  String jdbc;

  @Option(names = "--key-env", defaultValue = "PRIVSEG_KEY", description = "Environment "
      + "variable with the Base64 key (>= 32 bytes) that subjects are keyed by "
      + "(default: ${DEFAULT-VALUE}).")
  String keyEnv;

  /** Opens the consent database, creating it if absent: for commands that record consents. */
  ConsentDatabase open(Map<String, String> environment) {
    return open(environment, false);
  }

  /**
   * Opens the consent database, which must exist: for commands that read or act on what is
   * held, so that a mistyped path or URL is reported as that.
   */
  ConsentDatabase openExisting(Map<String, String> environment) {
    return open(environment, true);
  }

  private ConsentDatabase open(Map<String, String> environment, boolean mustExist) {
    if (jdbc == null) {
      return mustExist ? ConsentDatabase.h2Existing(db) : ConsentDatabase.h2(db);
    }
    String password = environment.get("PGPASSWORD");
    return mustExist ? ConsentDatabase.postgresExisting(jdbc, password)
        : ConsentDatabase.postgres(jdbc, password);
  }

  KeyProvider keys(Map<String, String> environment) {
    return KeyProvider.fromEnvironment(keyEnv, environment);
  }

  SubjectKeyer keyer(Map<String, String> environment) {
    return SubjectKeyer.from(keys(environment));
  }
}
