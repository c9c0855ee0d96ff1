package dev.privseg.consent.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.Fixtures;
import dev.privseg.consent.directory.SubjectDirectory;
import dev.privseg.consent.ledger.SubjectKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract every {@link SubjectDirectory} must meet; one subclass per implementation. */
abstract class SubjectDirectoryContract {
  SubjectDirectory directory;

  abstract SubjectDirectory newDirectory() throws Exception;

  @BeforeEach
  void open() throws Exception {
    directory = newDirectory();
  }

  @AfterEach
  void close() {
    if (directory != null) {
      directory.close();
    }
  }

  @Test
  void entriesAreCreatedOnceWithRandomKeys() {
    SubjectKey a = Fixtures.key("a");
    assertThat(directory.entry(a, false)).isEmpty();
    SubjectDirectory.Entry first = directory.entry(a, true).orElseThrow();
    assertThat(directory.entry(a, true)).contains(first);
    assertThat(directory.entry(a, false)).contains(first);
    SubjectDirectory.Entry other = directory.entry(Fixtures.key("b"), true).orElseThrow();
    assertThat(other.ledgerKey()).isNotEqualTo(first.ledgerKey());
    assertThat(other.pseudonym()).isNotEqualTo(first.pseudonym()).hasSize(43);
    assertThat(first.ledgerKey()).as("random, not derived from the lookup key").isNotEqualTo(a);
    assertThat(first.toString()).isEqualTo("Entry[redacted]");
  }

  @Test
  void erasureDeletesTheEntryAndLeavesATombstone() {
    SubjectKey a = Fixtures.key("a");
    directory.entry(a, true);
    assertThat(directory.erase(a)).isTrue();

    assertThat(directory.isErased(a)).isTrue();
    assertThat(directory.entry(a, true)).as("no new keys after erasure").isEmpty();
    List<SubjectKey> live = new ArrayList<>();
    directory.forEach((k, e) -> live.add(k));
    assertThat(live).doesNotContain(a);
    List<SubjectKey> tombstones = new ArrayList<>();
    directory.forEachErased(tombstones::add);
    assertThat(tombstones).containsExactly(a);
    assertThat(directory.erase(Fixtures.key("never-seen"))).isFalse();
    assertThat(directory.isErased(Fixtures.key("never-seen"))).isTrue();
  }

  @Test
  void concurrentCreatorsGetTheSameEntry() throws Exception {
    SubjectKey a = Fixtures.key("contended");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<SubjectDirectory.Entry>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> directory.entry(a, true).orElseThrow()));
      }
      Set<SubjectDirectory.Entry> distinct = new HashSet<>();
      for (Future<SubjectDirectory.Entry> f : results) {
        distinct.add(f.get());
      }
      assertThat(distinct).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
