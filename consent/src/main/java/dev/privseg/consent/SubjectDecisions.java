package dev.privseg.consent;

import dev.privseg.consent.ledger.ConsentState;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.store.LedgerStore;
import dev.privseg.core.gate.BasisDecision;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The decision for every subject the ledger has events about, for one purpose at one instant:
 * what a run's snapshot is built from. It takes the events of a narrow scan
 * ({@link LedgerStore#scanEffects}) in ledger order, numbers subjects in a primitive hash table
 * as they come, groups the events by subject with a counting sort (stable, so ledger order
 * survives), orders each subject's events by time of effect and folds them
 * ({@link ConsentState.Folding}). A million events cost a few arrays, not a million event objects
 * and a map of lists. Holds ledger keys, never identifiers. Not thread-safe.
 */
final class SubjectDecisions implements LedgerStore.EffectVisitor {
  private static final BasisDecision[] DECISIONS = BasisDecision.values();
  private static final EventType[] TYPES = EventType.values();
  /** Above this many events a subject's events are ordered by a library sort. */
  private static final int INSERTION_SORT_MAX = 32;

  // Subjects: an open-addressing table of ledger keys (two words per slot) and, per slot, the
  // subject's number plus one (0: an empty slot).
  private long[] keys = new long[2 * 1024];
  private int[] slotSubject = new int[1024];
  private int subjects;
  // Events, in ledger order.
  private int[] eventSubject = new int[1024];
  private long[] occurred = new long[1024];
  private byte[] type = new byte[1024];
  private String[] notice = new String[1024];
  private String lastNotice = "";
  private int events;
  private byte[] decision;
  /** Per subject: explicit consent in force and allowed (GDPR Art. 9(2)(a)). */
  private boolean[] explicit;

  @Override
  public void visit(long subjectHigh, long subjectLow, EventType eventType, long occurredAtMillis,
      String noticeVersion) {
    if (events == occurred.length) {
      int capacity = Math.multiplyExact(events, 2);
      eventSubject = Arrays.copyOf(eventSubject, capacity);
      occurred = Arrays.copyOf(occurred, capacity);
      type = Arrays.copyOf(type, capacity);
      notice = Arrays.copyOf(notice, capacity);
    }
    eventSubject[events] = subjectOf(subjectHigh, subjectLow, true);
    occurred[events] = occurredAtMillis;
    type[events] = (byte) eventType.ordinal();
    notice[events] = noticeOf(eventType, noticeVersion);
    events++;
  }

  /**
   * The notice version worth keeping: only a consent's counts ({@link ConsentState.Folding}),
   * and the same version as the last one kept is kept as that one instance, so that ten million
   * events do not hold ten million copies of a handful of versions.
   */
  private String noticeOf(EventType eventType, String noticeVersion) {
    if (eventType != EventType.CONSENT_GIVEN && eventType != EventType.EXPLICIT_CONSENT_GIVEN) {
      return null;
    }
    if (!noticeVersion.equals(lastNotice)) {
      lastNotice = noticeVersion;
    }
    return lastNotice;
  }

  /**
   * Folds every subject's events into the decision of {@code policy} at {@code at}. The events
   * must all concern the policy's purpose and have taken effect by {@code at}, as
   * {@link LedgerStore#scanEffects} delivers them.
   */
  void decide(ConsentPolicy policy, Instant at) {
    decide(policy, at, null);
  }

  /**
   * As {@link #decide(ConsentPolicy, Instant)}, and counts into {@code flows} (if not null) the
   * consents given, withdrawn and lapsed, by week, from the same ordered events.
   */
  void decide(ConsentPolicy policy, Instant at, WeeklyFlows flows) {
    int[] start = new int[subjects + 1];
    for (int e = 0; e < events; e++) {
      start[eventSubject[e] + 1]++;
    }
    for (int s = 0; s < subjects; s++) {
      start[s + 1] += start[s];
    }
    int[] order = new int[events];
    int[] next = Arrays.copyOf(start, subjects);
    for (int e = 0; e < events; e++) {
      order[next[eventSubject[e]]++] = e;
    }
    decision = new byte[subjects];
    explicit = new boolean[subjects];
    for (int s = 0; s < subjects; s++) {
      inOrderOfEffect(order, start[s], start[s + 1]);
      ConsentState.Folding folding = new ConsentState.Folding();
      for (int i = start[s]; i < start[s + 1]; i++) {
        int e = order[i];
        if (!folding.apply(TYPES[type[e]], Instant.ofEpochMilli(occurred[e]), notice[e])) {
          break;
        }
      }
      if (flows != null) {
        flows.count(policy, at, order, start[s], start[s + 1], type, occurred);
      }
      ConsentState state = folding.state();
      BasisDecision decided = policy.decide(state, at);
      decision[s] = (byte) decided.ordinal();
      explicit[s] = state.explicitConsent() && decided.isAllowed();
    }
  }

  /**
   * Orders one subject's events (in ledger order) by time of effect, stably, so ties stay in
   * ledger order. Events usually arrive in time order already.
   */
  private void inOrderOfEffect(int[] order, int from, int to) {
    boolean sorted = true;
    for (int i = from + 1; i < to && sorted; i++) {
      sorted = occurred[order[i - 1]] <= occurred[order[i]];
    }
    if (sorted) {
      return;
    }
    if (to - from <= INSERTION_SORT_MAX) {
      for (int i = from + 1; i < to; i++) {
        int e = order[i];
        int j = i - 1;
        while (j >= from && occurred[order[j]] > occurred[e]) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = e;
      }
      return;
    }
    Integer[] boxed = new Integer[to - from];
    for (int i = from; i < to; i++) {
      boxed[i - from] = order[i];
    }
    Arrays.sort(boxed, Comparator.comparingLong(e -> occurred[e])); // stable
    for (int i = from; i < to; i++) {
      order[i] = boxed[i - from];
    }
  }

  /** The number of subjects with events. */
  int subjects() {
    return subjects;
  }

  /** The decision for the subject with ledger key ({@code high}, {@code low}), or null. */
  BasisDecision get(long high, long low) {
    int s = subjectOf(high, low, false);
    return s < 0 ? null : DECISIONS[decision[s]];
  }

  /**
   * Whether the subject with ledger key ({@code high}, {@code low}) is allowed and gave explicit
   * consent in force (false for a subject without events).
   */
  boolean explicit(long high, long low) {
    int s = subjectOf(high, low, false);
    return s >= 0 && explicit[s];
  }

  /** Visits every subject's ledger key with its decision. */
  void forEach(KeyDecisionVisitor visitor) {
    for (int slot = 0; slot < slotSubject.length; slot++) {
      int s = slotSubject[slot] - 1;
      if (s >= 0) {
        visitor.visit(keys[2 * slot], keys[2 * slot + 1], DECISIONS[decision[s]]);
      }
    }
  }

  /** A subject's ledger key and decision. */
  @FunctionalInterface
  interface KeyDecisionVisitor {
    void visit(long high, long low, BasisDecision decision);
  }

  /** The number of the subject with this key; with {@code add}, numbers a new one, else -1. */
  private int subjectOf(long high, long low, boolean add) {
    int mask = slotSubject.length - 1;
    int slot = home(high, low, mask);
    int s;
    while ((s = slotSubject[slot]) != 0) {
      if (keys[2 * slot] == high && keys[2 * slot + 1] == low) {
        return s - 1;
      }
      slot = (slot + 1) & mask;
    }
    if (!add) {
      return -1;
    }
    keys[2 * slot] = high;
    keys[2 * slot + 1] = low;
    slotSubject[slot] = ++subjects;
    if (subjects > slotSubject.length / 2) {
      grow();
    }
    return subjects - 1;
  }

  /** A slot from both words, mixed, so keys that are not uniform still spread. */
  private static int home(long high, long low, int mask) {
    long h = (high ^ Long.rotateLeft(low, 32)) * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldSubjects = slotSubject;
    keys = new long[oldKeys.length * 2];
    slotSubject = new int[oldSubjects.length * 2];
    int mask = slotSubject.length - 1;
    for (int old = 0; old < oldSubjects.length; old++) {
      if (oldSubjects[old] != 0) {
        int slot = home(oldKeys[2 * old], oldKeys[2 * old + 1], mask);
        while (slotSubject[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        keys[2 * slot] = oldKeys[2 * old];
        keys[2 * slot + 1] = oldKeys[2 * old + 1];
        slotSubject[slot] = oldSubjects[old];
      }
    }
  }
}
