package dev.privseg.anonymization.internal;

import java.util.Arrays;

/**
 * An open-addressing hash map from {@code long} keys to dense {@code int} ids 0, 1, 2, ... in
 * insertion order: the primitive class counter of the anonymization searches (no boxing, no
 * per-entry objects). Keys and ids share one array, so a lookup touches one cache line. Not
 * thread-safe. Reusable: {@link #clear(int)} sizes it for the next use.
 */
public final class LongIntMap {
  private static final long EMPTY = -1L;
  /** Slot i holds its key at 2i and its id at 2i + 1 ({@link #EMPTY} when unused). */
  private long[] slots = new long[32];
  private int mask = 15;
  private int size;

  /** Empties the map and makes room for about {@code expected} keys without growing. */
  public void clear(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    if (cap > mask + 1 || cap < (mask + 1) / 8) {
      slots = new long[cap * 2];
      mask = cap - 1;
    }
    for (int i = 1; i < slots.length; i += 2) {
      slots[i] = EMPTY;
    }
    size = 0;
  }

  /** The id of {@code key}, giving it the next id if it is new. */
  public int idOf(long key) {
    int slot = mix(key) & mask;
    while (true) {
      long id = slots[2 * slot + 1];
      if (id == EMPTY) {
        if (size * 2 >= mask + 1) {
          grow();
          return idOf(key);
        }
        slots[2 * slot] = key;
        slots[2 * slot + 1] = size;
        return size++;
      }
      if (slots[2 * slot] == key) {
        return (int) id;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** The id of {@code key}, or -1 if it is absent. */
  public int get(long key) {
    int slot = mix(key) & mask;
    while (true) {
      long id = slots[2 * slot + 1];
      if (id == EMPTY || slots[2 * slot] == key) {
        return (int) id;
      }
      slot = (slot + 1) & mask;
    }
  }

  /**
   * Replaces each {@code ids[i]} by a dense id (0, 1, 2, ... in first-seen order) of the pair
   * ({@code ids[i]}, {@code codes[i]}): applied field by field, it numbers tuples too wide to pack
   * into one key.
   */
  public static void combine(int[] ids, int[] codes) {
    LongIntMap pairs = new LongIntMap();
    pairs.clear(Math.min(ids.length, 1 << 16));
    for (int i = 0; i < ids.length; i++) {
      ids[i] = pairs.idOf(((long) ids[i] << 32) | (codes[i] & 0xFFFFFFFFL));
    }
  }

  /** The number of keys. */
  public int size() {
    return size;
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    mask = slots.length / 2 - 1;
    Arrays.fill(slots, EMPTY);
    for (int i = 0; i < old.length; i += 2) {
      if (old[i + 1] != EMPTY) {
        int slot = mix(old[i]) & mask;
        while (slots[2 * slot + 1] != EMPTY) {
          slot = (slot + 1) & mask;
        }
        slots[2 * slot] = old[i];
        slots[2 * slot + 1] = old[i + 1];
      }
    }
  }

  private static int mix(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 29) ^ (h >>> 47));
  }
}
