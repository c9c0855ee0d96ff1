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
    long day = Math.floorDiv(at.toEpochMilli(), 86_400_000L);
    long monday = day - Math.floorMod(day + 3, 7);
    this.firstMillis = (monday - 7L * (weeks - 1)) * 86_400_000L;
    this.grants = new long[weeks];
    this.withdrawals = new long[weeks];
    this.expiries = new long[weeks];
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
    long given = Long.MIN_VALUE;
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
        return;
      }
    }
    if (given != Long.MIN_VALUE) {
      long lapses = lapses(policy, given);
      if (lapses <= at.toEpochMilli()) {
        add(expiries, lapses);
      }
    }
  }

  /** When a consent given at {@code givenMillis} lapses under the policy; never if none. */
  private static long lapses(ConsentPolicy policy, long givenMillis) {
    return policy.consentExpiry().map(p -> ConsentPolicy.lapses(Instant.ofEpochMilli(givenMillis),
        p).toEpochMilli()).orElse(Long.MAX_VALUE);
  }
}
