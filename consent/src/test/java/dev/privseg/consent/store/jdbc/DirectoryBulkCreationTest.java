package dev.privseg.consent.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.Fixtures;
import dev.privseg.consent.directory.SubjectDirectory.Entry;
import dev.privseg.consent.ledger.SubjectKey;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bulk creation behind a directory scan, called as the scan calls it: with keys the scan
 * found neither held nor erased, some of which another process has since created or erased.
 */
class DirectoryBulkCreationTest {
  @TempDir
  Path dir;
  JdbcSubjectDirectory directory;

  private final SubjectKey a = Fixtures.key("a");
  private final SubjectKey b = Fixtures.key("b");
  private final SubjectKey c = Fixtures.key("c");

  @BeforeEach
  void open() {
    directory = JdbcSubjectDirectory.h2(dir);
  }

  @AfterEach
  void close() {
    directory.close();
  }

  @Test
  void aKeyErasedSinceTheScanGetsNoEntryAndNoRow() {
    directory.erase(b);

    Map<SubjectKey, Optional<Entry>> made = directory.created(List.of(a, b, c));

    assertThat(made.get(b)).isEmpty();
    assertThat(made.get(a)).isPresent();
    assertThat(made.get(c)).isPresent();
    Set<SubjectKey> rows = new HashSet<>();
    directory.forEach((lookup, entry) -> rows.add(lookup));
    assertThat(rows).as("no mapping for the erased subject").containsExactlyInAnyOrder(a, c);
    assertThat(directory.entries(List.of(a, b, c), false))
        .containsExactly(made.get(a), Optional.empty(), made.get(c));
  }

  @Test
  void aKeyCreatedSinceTheScanKeepsItsEntry() {
    Entry first = directory.entry(b, true).orElseThrow();

    Map<SubjectKey, Optional<Entry>> made = directory.created(List.of(a, b, c));

    assertThat(made.get(b)).contains(first);
    assertThat(directory.size()).isEqualTo(3);
    assertThat(directory.entries(List.of(a, b, c), false))
        .containsExactly(made.get(a), Optional.of(first), made.get(c));
  }
}
