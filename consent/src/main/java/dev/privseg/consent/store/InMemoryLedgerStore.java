package dev.privseg.consent.store;

import dev.privseg.consent.ledger.ConsentEvent;
import dev.privseg.consent.ledger.EventChain;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.core.Checks;
import dev.privseg.core.PurposeId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * A ledger store in memory, for tests and small hosts. Events are indexed by subject, so a state
 * lookup reads only that subject's events. Thread-safe: appends take a write lock, reads a read
 * lock. Lost when the process ends.
 */
public final class InMemoryLedgerStore implements LedgerStore {
  private static final Comparator<ConsentEvent> EFFECT_ORDER =
      Comparator.comparing(ConsentEvent::occurredAt).thenComparingLong(ConsentEvent::sequence);

  private final List<ConsentEvent> events = new ArrayList<>();
  private final Map<SubjectKey, List<ConsentEvent>> bySubject = new HashMap<>();
  private final ReadWriteLock lock = new ReentrantReadWriteLock();

  private String keyScheme;

  private String keyCheckValue;

  /** An empty store. */
  public InMemoryLedgerStore() {}

  @Override
  public synchronized String adoptKeyCheckValue(String checkValue) {
    if (keyCheckValue == null) {
      keyCheckValue = Checks.notBlank(checkValue, "key check value");
    }
    return keyCheckValue;
  }

  @Override
  public synchronized String adoptSubjectKeyScheme(String scheme) {
    if (keyScheme == null) {
      keyScheme = scheme;
    }
    return keyScheme;
  }

  @Override
  public List<ConsentEvent> append(List<EventDraft> drafts, Instant recordedAt) {
    Checks.notNull(drafts, "drafts");
    Checks.notNull(recordedAt, "recordedAt");
    drafts.forEach(d -> Checks.notNull(d, "draft"));
    lock.writeLock().lock();
    try {
      List<ConsentEvent> appended = new ArrayList<>(drafts.size());
      String previous = events.isEmpty() ? EventChain.GENESIS
          : events.get(events.size() - 1).hash();
      long sequence = events.size();
      for (EventDraft draft : drafts) {
        ConsentEvent e = EventChain.link(draft, ++sequence, recordedAt, previous);
        appended.add(e);
        previous = e.hash();
      }
      for (ConsentEvent e : appended) {
        events.add(e);
        insertInEffectOrder(bySubject.computeIfAbsent(e.subject(), k -> new ArrayList<>(4)), e);
      }
      return List.copyOf(appended);
    } finally {
      lock.writeLock().unlock();
    }
  }

  private static void insertInEffectOrder(List<ConsentEvent> list, ConsentEvent e) {
    int i = list.size();
    while (i > 0 && EFFECT_ORDER.compare(list.get(i - 1), e) > 0) {
      i--; // events usually arrive in time order: the loop rarely runs
    }
    list.add(i, e);
  }

  @Override
  public List<ConsentEvent> history(SubjectKey subject, PurposeId purpose, Instant upTo) {
    lock.readLock().lock();
    try {
      List<ConsentEvent> all = bySubject.getOrDefault(subject, List.of());
      List<ConsentEvent> out = new ArrayList<>(all.size());
      for (ConsentEvent e : all) {
        if (e.occurredAt().isAfter(upTo)) {
          break;
        }
        if (e.concerns(purpose)) {
          out.add(e);
        }
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public List<ConsentEvent> history(SubjectKey subject) {
    lock.readLock().lock();
    try {
      return List.copyOf(bySubject.getOrDefault(subject, List.of()));
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void scan(Consumer<ConsentEvent> visitor) {
    lock.readLock().lock();
    try {
      events.forEach(visitor);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public long size() {
    lock.readLock().lock();
    try {
      return events.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public String description() {
    return "in-memory ledger store";
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "InMemoryLedgerStore[" + size() + " events]";
  }
}
