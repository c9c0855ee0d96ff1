package dev.privseg.consent.store;

import dev.privseg.consent.directory.InMemorySubjectDirectory;
import dev.privseg.consent.directory.SubjectDirectory;

class InMemorySubjectDirectoryTest extends SubjectDirectoryContract {
  @Override
  SubjectDirectory newDirectory() {
    return new InMemorySubjectDirectory();
  }
}
