package dev.privseg.consent.directory;

import dev.privseg.consent.ledger.SubjectKey;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** A subject directory in memory, for tests and small hosts. Thread-safe. */
public final class InMemorySubjectDirectory implements SubjectDirectory {
  private final Map<SubjectKey, Entry> entries = new HashMap<>();
  private final Set<SubjectKey> erased = new HashSet<>();
  private final SecureRandom random = new SecureRandom();

  /** An empty directory. */
  public InMemorySubjectDirectory() {}

  @Override
  public synchronized Optional<Entry> entry(SubjectKey lookup, boolean create) {
    if (erased.contains(lookup)) {
      return Optional.empty();
    }
    Entry e = entries.get(lookup);
    if (e == null && create) {
      e = Entry.random(random);
      entries.put(lookup, e);
    }
    return Optional.ofNullable(e);
  }

  @Override
  public synchronized boolean erase(SubjectKey lookup) {
    erased.add(lookup);
    return entries.remove(lookup) != null;
  }

  @Override
  public synchronized boolean isErased(SubjectKey lookup) {
    return erased.contains(lookup);
  }

  @Override
  public synchronized long size() {
    return entries.size();
  }

  @Override
  public synchronized void forEach(BiConsumer<SubjectKey, Entry> visitor) {
    entries.forEach(visitor);
  }

  @Override
  public synchronized void forEachErased(Consumer<SubjectKey> visitor) {
    erased.forEach(visitor);
  }

  @Override
  public String description() {
    return "in-memory subject directory";
  }

  @Override
  public void close() {}

  @Override
  public synchronized String toString() {
    return "InMemorySubjectDirectory[" + entries.size() + " subjects, " + erased.size()
        + " erased]";
  }
}
