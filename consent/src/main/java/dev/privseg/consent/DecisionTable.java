package dev.privseg.consent;

import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.core.gate.BasisDecision;

/**
 * An open-addressing hash table from subject keys to decisions in one primitive array: slot
 * {@code i} is {@code keys[2i]} (the key's high word with its lowest 5 bits replaced by the
 * decision) and {@code keys[2i + 1]} (the low word), so a lookup touches one cache line. Keys
 * compare on their remaining 123 bits, still far beyond any collision risk. Keys are uniform
 * (SipHash output, or random ledger keys), so their low bits index the table directly. It grows
 * while it is filled; once built and published it is only read, and thread-safe to read.
 */
final class DecisionTable {
  private static final BasisDecision[] DECISIONS = BasisDecision.values();
  private static final long TAG = 0x1FL; // decision ordinal + 1; 0 marks an empty slot
  private long[] keys;
  private int mask;
  private final BasisDecision absent;
  private int size;

  DecisionTable(int expected, BasisDecision absent) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    this.keys = new long[capacity * 2];
    this.mask = capacity - 1;
    this.absent = absent;
  }

  void put(SubjectKey key, BasisDecision decision) {
    put(key.high(), key.low(), decision);
  }

  /** Maps the key ({@code high}, {@code low}) to {@code decision}, replacing an earlier one. */
  void put(long high, long low, BasisDecision decision) {
    long h = high & ~TAG;
    int i = (int) low & mask;
    while ((keys[2 * i] & TAG) != 0) {
      if ((keys[2 * i] & ~TAG) == h && keys[2 * i + 1] == low) {
        keys[2 * i] = h | (decision.ordinal() + 1);
        return;
      }
      i = (i + 1) & mask;
    }
    keys[2 * i] = h | (decision.ordinal() + 1);
    keys[2 * i + 1] = low;
    if (++size > (mask + 1) / 2) {
      grow();
    }
  }

  /** Doubles the table when it is half full, so that probes stay short. */
  private void grow() {
    long[] old = keys;
    keys = new long[old.length * 2];
    mask = keys.length / 2 - 1;
    for (int j = 0; j < old.length; j += 2) {
      if ((old[j] & TAG) != 0) {
        int i = (int) old[j + 1] & mask;
        while ((keys[2 * i] & TAG) != 0) {
          i = (i + 1) & mask;
        }
        keys[2 * i] = old[j];
        keys[2 * i + 1] = old[j + 1];
      }
    }
  }

  BasisDecision get(long high, long low) {
    long h = high & ~TAG;
    int i = (int) low & mask;
    long slot;
    while (((slot = keys[2 * i]) & TAG) != 0) {
      if (keys[2 * i + 1] == low && (slot & ~TAG) == h) {
        return DECISIONS[(int) (slot & TAG) - 1];
      }
      i = (i + 1) & mask;
    }
    return absent;
  }

  /**
   * Loads the home slot of each of the first {@code count} keys (by their low words) so that
   * lookups right after find them in cache; the loads are independent, so their misses overlap.
   * Returns a value only to keep the loads from being optimized away.
   */
  long touch(long[] lows, int count) {
    long sum = 0;
    for (int i = 0; i < count; i++) {
      sum += keys[2 * ((int) lows[i] & mask)];
    }
    return sum;
  }

  int size() {
    return size;
  }

  /** Visits every key and its decision; the high word with its lowest 5 bits cleared. */
  void forEach(Entries visitor) {
    for (int j = 0; j < keys.length; j += 2) {
      if ((keys[j] & TAG) != 0) {
        visitor.visit(keys[j] & ~TAG, keys[j + 1], DECISIONS[(int) (keys[j] & TAG) - 1]);
      }
    }
  }

  /** The high word as the table compares it: its lowest 5 bits cleared. */
  static long comparable(long high) {
    return high & ~TAG;
  }

  /** Receives a table's entries. */
  @FunctionalInterface
  interface Entries {
    /** One key ({@code high} as {@link #comparable} makes it) and its decision. */
    void visit(long high, long low, BasisDecision decision);
  }
}
