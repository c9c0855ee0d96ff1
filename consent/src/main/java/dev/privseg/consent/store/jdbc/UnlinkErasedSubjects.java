package dev.privseg.consent.store.jdbc;

import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.consent.rights.SubjectRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Consent schema version 11: after erasure nothing stored may link the remaining records to the
 * person, by value or by time. Tombstones lose their erasure time (it joined them to the erasure
 * event in the ledger), and the request-log entries of erased subjects lose their subject key (the
 * keyed hash of the identifier, which anyone with the identifier and the key can recompute).
 * Written in Java because the key's hexadecimal form is computed the same way on every database.
 */
final class UnlinkErasedSubjects implements JavaMigration {
  private static final int BATCH = 10_000;

  @Override
  public MigrationVersion getVersion() {
    return MigrationVersion.fromVersion("11");
  }

  @Override
  public String getDescription() {
    return "unlink erased subjects";
  }

  @Override
  public Integer getChecksum() {
    return 11;
  }

  @Override
  public boolean canExecuteInTransaction() {
    return true;
  }

  @Override
  public void migrate(Context context) throws Exception {
    Connection c = context.getConnection();
    try (Statement scan = c.createStatement();
        ResultSet rs = scan.executeQuery(
            "SELECT lookup_high, lookup_low FROM privseg_erased_subject");
        PreparedStatement unlink = c.prepareStatement("UPDATE privseg_subject_request "
            + "SET subject_key = ? WHERE subject_key = ?")) {
      int pending = 0;
      while (rs.next()) {
        unlink.setString(1, SubjectRequest.UNLINKED);
        unlink.setString(2, new SubjectKey(rs.getLong(1), rs.getLong(2)).hex());
        unlink.addBatch();
        if (++pending == BATCH) {
          unlink.executeBatch();
          pending = 0;
        }
      }
      if (pending > 0) {
        unlink.executeBatch();
      }
    }
    try (Statement s = c.createStatement()) {
      s.execute("ALTER TABLE privseg_erased_subject DROP COLUMN erased_at");
    }
  }
}
