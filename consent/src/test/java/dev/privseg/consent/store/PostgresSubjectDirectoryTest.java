package dev.privseg.consent.store;

import dev.privseg.consent.directory.SubjectDirectory;
import dev.privseg.consent.store.jdbc.JdbcSubjectDirectory;

/** The directory contract against a real PostgreSQL server (see {@link Databases}). */
class PostgresSubjectDirectoryTest extends SubjectDirectoryContract {
  @Override
  SubjectDirectory newDirectory() {
    return JdbcSubjectDirectory.open(Databases.freshPostgresSchema(), "PostgreSQL test schema");
  }
}
