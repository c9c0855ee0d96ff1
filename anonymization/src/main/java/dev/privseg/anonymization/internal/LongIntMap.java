package dev.privseg.anonymization.internal;

import java.util.Arrays;

/**
 * An open-addressing hash map from {@code long} keys to dense {@code int} ids 0, 1, 2, ... in
 * insertion order: the primitive class counter of the anonymization searches (no boxing, no
 * per-entry objects). Not thread-safe. Reusable: {@link #clear(int)} sizes it for the next use.
 */
public final class LongIntMap {
  private long[] keys = new long[16];
  private int[] ids = new int[16];
  private int mask = 15;
  private int size;

  /** Empties the map and makes room for {@code expected} keys without growing. */
  public void clear(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    if (cap > ids.length || cap < ids.length / 8) {
      keys = new long[cap];
      ids = new int[cap];
      mask = cap - 1;
    }
    Arrays.fill(ids, -1);
    size = 0;
  }

  /** The id of {@code key}, giving it the next id if it is new. */
  public int idOf(long key) {
    int slot = mix(key) & mask;
    while (true) {
      int id = ids[slot];
      if (id < 0) {
        if (size * 2 >= ids.length) {
          grow();
          return idOf(key);
        }
        keys[slot] = key;
        ids[slot] = size;
        return size++;
      }
      if (keys[slot] == key) {
        return id;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** The id of {@code key}, or -1 if it is absent. */
  public int get(long key) {
    int slot = mix(key) & mask;
    while (true) {
      int id = ids[slot];
      if (id < 0 || keys[slot] == key) {
        return id;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** The number of keys. */
  public int size() {
    return size;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldIds = ids;
    keys = new long[oldKeys.length * 2];
    ids = new int[oldIds.length * 2];
    Arrays.fill(ids, -1);
    mask = ids.length - 1;
    for (int i = 0; i < oldIds.length; i++) {
      if (oldIds[i] >= 0) {
        int slot = mix(oldKeys[i]) & mask;
        while (ids[slot] >= 0) {
          slot = (slot + 1) & mask;
        }
        keys[slot] = oldKeys[i];
        ids[slot] = oldIds[i];
      }
    }
  }

  private static int mix(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 29) ^ (h >>> 47));
  }
}
