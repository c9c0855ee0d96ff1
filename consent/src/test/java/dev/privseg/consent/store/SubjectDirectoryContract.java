package dev.privseg.consent.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.Fixtures;
import dev.privseg.consent.directory.SubjectDirectory;
import dev.privseg.consent.ledger.SubjectKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
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
  void ledgerKeysAreTheLiveEntriesKeys() {
    for (int i = 0; i < 20; i++) {
      directory.entry(Fixtures.key("s" + i), true);
    }
    directory.erase(Fixtures.key("s3"));
    Map<SubjectKey, SubjectKey> expected = new HashMap<>();
    directory.forEach((lookup, entry) -> expected.put(lookup, entry.ledgerKey()));
    Map<SubjectKey, SubjectKey> keys = new HashMap<>();
    directory.forEachLedgerKey((lookupHigh, lookupLow, ledgerHigh, ledgerLow) -> assertThat(
        keys.put(new SubjectKey(lookupHigh, lookupLow), new SubjectKey(ledgerHigh, ledgerLow)))
        .as("each entry once").isNull());
    assertThat(keys).hasSize(19).isEqualTo(expected).doesNotContainKey(Fixtures.key("s3"));
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

  @Test
  void aListIsAnsweredAsEntryAnswersEachOfItsKeys() {
    SubjectKey existing = Fixtures.key("existing");
    SubjectKey erased = Fixtures.key("erased");
    SubjectDirectory.Entry held = directory.entry(existing, true).orElseThrow();
    directory.entry(erased, true);
    directory.erase(erased);
    List<SubjectKey> fresh = new ArrayList<>();
    for (int i = 0; i < 1_200; i++) { // more than one chunk of a database directory
      fresh.add(Fixtures.key("new-" + i));
    }
    List<SubjectKey> asked = new ArrayList<>(fresh);
    asked.add(0, existing);
    asked.add(700, erased);
    asked.add(existing);
    asked.add(fresh.get(3));

    List<Optional<SubjectDirectory.Entry>> read = directory.entries(asked, false);
    assertThat(read).hasSize(asked.size());
    assertThat(read.get(0)).contains(held);
    assertThat(read.get(asked.size() - 2)).contains(held);
    assertThat(read.stream().filter(Optional::isPresent)).as("only the held one").hasSize(2);
    assertThat(directory.entry(fresh.get(0), false)).as("reading creates nothing").isEmpty();

    List<Optional<SubjectDirectory.Entry>> created = directory.entries(asked, true);
    assertThat(created.get(0)).contains(held);
    assertThat(created.get(700)).as("no new keys after erasure").isEmpty();
    assertThat(created.get(asked.size() - 1)).as("a repeated key gets one entry")
        .isEqualTo(created.get(asked.indexOf(fresh.get(3))));
    assertThat(directory.entries(asked, false)).as("stored as returned").isEqualTo(created);
    Set<String> pseudonyms = new HashSet<>();
    for (int i = 0; i < asked.size(); i++) {
      if (i != 700) {
        pseudonyms.add(created.get(i).orElseThrow().pseudonym());
      }
      if (i % 50 == 0) { // a database round trip per key: a sample
        assertThat(directory.entry(asked.get(i), false)).isEqualTo(created.get(i));
      }
    }
    assertThat(pseudonyms).hasSize(fresh.size() + 1);
    assertThat(directory.isErased(erased)).isTrue();
    assertThat(directory.entries(List.of(), true)).isEmpty();
  }

  @Test
  void concurrentListCreatorsGetTheSameEntries() throws Exception {
    List<SubjectKey> keys = new ArrayList<>();
    for (int i = 0; i < 1_500; i++) {
      keys.add(Fixtures.key("contended-" + i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Map<SubjectKey, SubjectDirectory.Entry>>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        List<SubjectKey> order = new ArrayList<>(keys);
        Collections.shuffle(order, new Random(t));
        results.add(pool.submit(() -> {
          List<Optional<SubjectDirectory.Entry>> got = directory.entries(order, true);
          Map<SubjectKey, SubjectDirectory.Entry> byKey = new HashMap<>();
          for (int i = 0; i < order.size(); i++) {
            byKey.put(order.get(i), got.get(i).orElseThrow());
          }
          return byKey;
        }));
      }
      Map<SubjectKey, SubjectDirectory.Entry> first = results.get(0).get();
      assertThat(first).hasSize(keys.size());
      for (Future<Map<SubjectKey, SubjectDirectory.Entry>> f : results) {
        assertThat(f.get()).isEqualTo(first);
      }
      List<Optional<SubjectDirectory.Entry>> stored = directory.entries(keys, false);
      for (int i = 0; i < keys.size(); i++) {
        assertThat(stored.get(i)).contains(first.get(keys.get(i)));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aListOfMostOfTheDirectoryIsAnsweredAsEntryAnswersEachKey() {
    List<SubjectKey> held = new ArrayList<>();
    for (int i = 0; i < 66_000; i++) { // long enough for a database directory to scan
      held.add(Fixtures.key("many-" + i));
    }
    List<Optional<SubjectDirectory.Entry>> created = directory.entries(held, true);
    assertThat(created).allMatch(Optional::isPresent);
    SubjectKey erased = held.get(123);
    directory.erase(erased);
    List<SubjectKey> asked = new ArrayList<>(held);
    for (int i = 0; i < 200; i++) {
      asked.add(Fixtures.key("more-" + i));
    }
    asked.add(held.get(7)); // twice

    List<Optional<SubjectDirectory.Entry>> read = directory.entries(asked, false);
    assertThat(read.get(123)).as("erased").isEmpty();
    assertThat(read.get(124)).isEqualTo(created.get(124));
    assertThat(read.subList(66_000, 66_200)).as("read creates nothing")
        .allMatch(Optional::isEmpty);
    assertThat(read.get(66_200)).isEqualTo(created.get(7));

    List<Optional<SubjectDirectory.Entry>> again = directory.entries(asked, true);
    assertThat(again.subList(0, 123)).isEqualTo(created.subList(0, 123));
    assertThat(again.get(123)).as("no new keys after erasure").isEmpty();
    assertThat(again.subList(124, 66_000)).isEqualTo(created.subList(124, 66_000));
    for (int i = 66_000; i < 66_200; i += 40) {
      assertThat(again.get(i)).isPresent();
      assertThat(directory.entry(asked.get(i), false)).isEqualTo(again.get(i));
    }
  }

  @Test
  void concurrentImportsOfAWholeDirectoryGetTheSameEntries() throws Exception {
    List<SubjectKey> keys = new ArrayList<>();
    for (int i = 0; i < 66_000; i++) { // long enough for a database directory to scan
      keys.add(Fixtures.key("imported-" + i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<List<Optional<SubjectDirectory.Entry>>>> results = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        results.add(pool.submit(() -> directory.entries(keys, true)));
      }
      List<Optional<SubjectDirectory.Entry>> first = results.get(0).get();
      assertThat(first).allMatch(Optional::isPresent);
      assertThat(results.get(1).get()).isEqualTo(first);
      assertThat(directory.size()).isEqualTo(keys.size());
      assertThat(directory.entries(keys, false)).isEqualTo(first);
    } finally {
      pool.shutdownNow();
    }
  }
}
