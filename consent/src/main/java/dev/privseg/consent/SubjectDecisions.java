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
  // Per subject, where its fold starts (a status snapshot's state; absent: no events before),
  // and, when kept, where it ended: when the consent in force was given (NONE if none), its
  // notice version, the state's flags, and the flows' consent whose lapse is still to count.
  private long[] seedGiven;
  private String[] seedNotice;
  private int[] seedFlags;
  private long[] seedFlows;
  private boolean keepStates;
  private long[] endGiven;
  private String[] endNotice;
  private int[] endFlags;
  private long[] endFlows;

  /** State flags, as a status snapshot stores them. */
  static final int EXPLICIT = 1;
  static final int EVER = 1 << 1;
  static final int WITHDRAWN = 1 << 2;
  static final int EXPIRED = 1 << 3;
  static final int OBJECTED = 1 << 4;
  static final int OPTED_OUT = 1 << 5;
  static final int LIMITED = 1 << 6;
  static final int RESTRICTED = 1 << 7;
  static final int ERASED = 1 << 8;
  /** Internal: the subject's fold starts from a seed. */
  private static final int SEEDED = 1 << 30;

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
    if (keepStates) {
      endGiven = new long[subjects];
      endNotice = new String[subjects];
      endFlags = new int[subjects];
      endFlows = new long[subjects];
    }
    long atMillis = at.toEpochMilli();
    for (int s = 0; s < subjects; s++) {
      inOrderOfEffect(order, start[s], start[s + 1]);
      boolean seeded = seedFlags != null && s < seedFlags.length
          && (seedFlags[s] & SEEDED) != 0;
      ConsentState.Folding folding = seeded
          ? new ConsentState.Folding(state(seedGiven[s], seedNotice[s], seedFlags[s]))
          : new ConsentState.Folding();
      for (int i = start[s]; i < start[s + 1]; i++) {
        int e = order[i];
        if (!folding.apply(TYPES[type[e]], Instant.ofEpochMilli(occurred[e]), notice[e])) {
          break;
        }
      }
      long flowsGiven = WeeklyFlows.NONE;
      if (flows != null) {
        flowsGiven = flows.count(policy, atMillis, order, start[s], start[s + 1], type,
            occurred, seeded ? seedFlows[s] : WeeklyFlows.NONE);
      }
      ConsentState state = folding.state();
      BasisDecision decided = policy.decide(state, at);
      decision[s] = (byte) decided.ordinal();
      explicit[s] = state.explicitConsent() && decided.isAllowed();
      if (keepStates) {
        endGiven[s] = state.consentGivenAt().map(Instant::toEpochMilli).orElse(WeeklyFlows.NONE);
        endNotice[s] = state.noticeVersion();
        endFlags[s] = flags(state);
        endFlows[s] = flowsGiven;
      }
    }
  }

  /**
   * Starts the fold of the subject with ledger key ({@code high}, {@code low}) from a state a
   * status snapshot kept, instead of from no events: {@code given} when the consent in force was
   * given ({@link WeeklyFlows#NONE} if none), its {@code notice}, the state's {@code flags}, and
   * {@code flows} the consent whose lapse is still to be counted. The events visited for the
   * subject must all take effect at or after those the state was derived from.
   */
  void seed(long high, long low, long given, String notice, int flags, long flows) {
    int s = subjectOf(high, low, true);
    if (seedFlags == null || s >= seedFlags.length) {
      int capacity = Math.max(1024, Math.max(s + 1, seedFlags == null ? 0
          : seedFlags.length * 2));
      seedGiven = seedGiven == null ? new long[capacity] : Arrays.copyOf(seedGiven, capacity);
      seedNotice = seedNotice == null ? new String[capacity]
          : Arrays.copyOf(seedNotice, capacity);
      seedFlags = seedFlags == null ? new int[capacity] : Arrays.copyOf(seedFlags, capacity);
      seedFlows = seedFlows == null ? new long[capacity] : Arrays.copyOf(seedFlows, capacity);
    }
    seedGiven[s] = given;
    seedNotice[s] = notice;
    seedFlags[s] = flags | SEEDED;
    seedFlows[s] = flows;
  }

  /** Keeps each subject's state where its fold ended, for {@link #forEachState}. */
  void keepStates() {
    keepStates = true;
  }

  /** Sees each subject's state where its fold ended, as {@link #seed} takes it. */
  @FunctionalInterface
  interface StateVisitor {
    void visit(long high, long low, long given, String notice, int flags, long flows);
  }

  /** Shows {@code visitor} every subject's state after {@link #decide}, with {@link #keepStates}. */
  void forEachState(StateVisitor visitor) {
    for (int slot = 0; slot < slotSubject.length; slot++) {
      int s = slotSubject[slot] - 1;
      if (s >= 0) {
        visitor.visit(keys[2 * slot], keys[2 * slot + 1], endGiven[s], endNotice[s],
            endFlags[s], endFlows[s]);
      }
    }
  }

  /** Whether the subject with ledger key ({@code high}, {@code low}) has events or a seed. */
  boolean has(long high, long low) {
    return subjectOf(high, low, false) >= 0;
  }

  /** The earliest time of effect of the events visited, or {@code Long.MAX_VALUE}. */
  long earliest() {
    long min = Long.MAX_VALUE;
    for (int e = 0; e < events; e++) {
      min = Math.min(min, occurred[e]);
    }
    return min;
  }

  /** A state's flags. */
  static int flags(ConsentState state) {
    return (state.explicitConsent() ? EXPLICIT : 0) | (state.everConsented() ? EVER : 0)
        | (state.withdrawn() ? WITHDRAWN : 0) | (state.expired() ? EXPIRED : 0)
        | (state.objected() ? OBJECTED : 0) | (state.optedOut() ? OPTED_OUT : 0)
        | (state.sensitiveUseLimited() ? LIMITED : 0) | (state.restricted() ? RESTRICTED : 0)
        | (state.erased() ? ERASED : 0);
  }

  /** The state of {@code given}, {@code notice} and {@code flags}. */
  static ConsentState state(long given, String notice, int flags) {
    return new ConsentState(given == WeeklyFlows.NONE ? java.util.Optional.empty()
        : java.util.Optional.of(Instant.ofEpochMilli(given)), (flags & EXPLICIT) != 0,
        notice, (flags & EVER) != 0, (flags & WITHDRAWN) != 0, (flags & EXPIRED) != 0,
        (flags & OBJECTED) != 0, (flags & OPTED_OUT) != 0, (flags & LIMITED) != 0,
        (flags & RESTRICTED) != 0, (flags & ERASED) != 0);
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
