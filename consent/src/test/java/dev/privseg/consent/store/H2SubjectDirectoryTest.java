package dev.privseg.consent.store;

import dev.privseg.consent.directory.SubjectDirectory;
import dev.privseg.consent.store.jdbc.JdbcSubjectDirectory;
import java.nio.file.Files;

class H2SubjectDirectoryTest extends SubjectDirectoryContract {
  @Override
  SubjectDirectory newDirectory() throws Exception {
    return JdbcSubjectDirectory.h2(Files.createTempDirectory("privseg-h2-directory"));
  }
}
