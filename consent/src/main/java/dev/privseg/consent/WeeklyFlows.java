package dev.privseg.consent;

import dev.privseg.consent.ledger.EventType;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Consents given, withdrawn and lapsed per week (weeks start Monday 00:00 UTC), for a window of
 * weeks ending with the one holding a given instant. A consent lapses when its policy's expiry
 * passes before the subject's next consent event (a renewal, a withdrawal, an erasure) or before
 * the instant counted at, or when a {@code CONSENT_EXPIRED} event ends a consent in force. Not
 * thread-safe.
 */
final class WeeklyFlows {
  private static final EventType[] TYPES = EventType.values();
  private static final long WEEK = 7L * 86_400_000L;
  private final long firstMillis;
  final long[] grants;
  final long[] withdrawals;
  final long[] expiries;

  /** The {@code weeks} weeks ending with the one holding {@code at}. */
  WeeklyFlows(int weeks, Instant at) {
    this(weekStart(at.toEpochMilli()) - WEEK * (weeks - 1), weeks);
  }

  /** The {@code weeks} weeks from the one starting at {@code firstMillis} (a Monday, UTC). */
  WeeklyFlows(long firstMillis, int weeks) {
    this.firstMillis = firstMillis;
    this.grants = new long[weeks];
    this.withdrawals = new long[weeks];
    this.expiries = new long[weeks];
  }

  /** The start (Monday 00:00 UTC) of the week holding {@code millis}. */
  static long weekStart(long millis) {
    long day = Math.floorDiv(millis, 86_400_000L);
    return (day - Math.floorMod(day + 3, 7)) * 86_400_000L;
  }

  /** The first week's start. */
  long firstMillis() {
    return firstMillis;
  }

  /**
   * Adds {@code sign} times the counts of {@code other} for the weeks both cover: a snapshot's
   * counts into a status's window, or a subject's earlier counts taken out of them.
   */
  void add(WeeklyFlows other, int sign) {
    for (int w = 0; w < other.grants.length; w++) {
      long offset = other.firstMillis + w * WEEK - firstMillis;
      if (offset >= 0 && offset / WEEK < grants.length) {
        int at = (int) (offset / WEEK);
        grants[at] += sign * other.grants[w];
        withdrawals[at] += sign * other.withdrawals[w];
        expiries[at] += sign * other.expiries[w];
      }
    }
  }

  /** The first day (a Monday) of week {@code w}. */
  LocalDate weekOf(int w) {
    return LocalDate.ofEpochDay(Math.floorDiv(firstMillis + w * WEEK, 86_400_000L));
  }

  private void add(long[] counts, long millis) {
    if (millis >= firstMillis) {
      long w = (millis - firstMillis) / WEEK;
      if (w < counts.length) {
        counts[(int) w]++;
      }
    }
  }

  /**
   * Counts one subject's events: {@code order[from..to)} index {@code type} and
   * {@code occurred}, in order of effect, all at or before {@code at}.
   */
  void count(ConsentPolicy policy, Instant at, int[] order, int from, int to, byte[] type,
      long[] occurred) {
    count(policy, at.toEpochMilli(), order, from, to, type, occurred, NONE);
  }

  /** No consent in force whose lapse is still to be counted. */
  static final long NONE = Long.MIN_VALUE;
  /** The subject was erased: nothing later is counted. */
  static final long ERASED = Long.MIN_VALUE + 1;

  /**
   * As {@link #count(ConsentPolicy, Instant, int[], int, int, byte[], long[])}, continuing from
   * earlier events: {@code given} is when the consent in force whose lapse is still to be counted
   * was given ({@link #NONE} if none), as an earlier call returned. Returns the same for the
   * events counted, or {@link #ERASED}.
   */
  long count(ConsentPolicy policy, long atMillis, int[] order, int from, int to, byte[] type,
      long[] occurred, long given) {
    if (given == ERASED) {
      return ERASED;
    }
    for (int i = from; i < to; i++) {
      int e = order[i];
      long t = occurred[e];
      if (given != Long.MIN_VALUE) {
        long lapses = lapses(policy, given);
        if (lapses <= t) {
          add(expiries, lapses);
          given = Long.MIN_VALUE;
        }
      }
      EventType kind = TYPES[type[e]];
      if (kind.givesConsent()) {
        add(grants, t);
        given = t;
      } else if (kind == EventType.CONSENT_WITHDRAWN) {
        add(withdrawals, t);
        given = Long.MIN_VALUE;
      } else if (kind == EventType.CONSENT_EXPIRED) {
        if (given != Long.MIN_VALUE) {
          add(expiries, t);
        }
        given = Long.MIN_VALUE;
      } else if (kind == EventType.ERASURE) {
        return ERASED;
      }
    }
    if (given != Long.MIN_VALUE) {
      long lapses = lapses(policy, given);
      if (lapses <= atMillis) {
        add(expiries, lapses);
        given = Long.MIN_VALUE;
      }
    }
    return given;
  }

  /** When a consent given at {@code givenMillis} lapses under the policy; never if none. */
  private static long lapses(ConsentPolicy policy, long givenMillis) {
    return policy.consentExpiry().map(p -> ConsentPolicy.lapses(Instant.ofEpochMilli(givenMillis),
        p).toEpochMilli()).orElse(Long.MAX_VALUE);
  }
}
