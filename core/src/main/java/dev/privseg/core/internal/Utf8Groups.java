package dev.privseg.core.internal;

import java.util.Arrays;

/**
 * Numbers the distinct values of a string column 0, 1, 2, … in order of first appearance,
 * comparing their UTF-8 bytes without decoding a {@code String} per row: grouping ten million
 * transactions by customer, or finding a repeated subject id. Not part of the API.
 *
 * <p>Values are the byte ranges {@link dev.privseg.core.dataset.StringColumn#forEachUtf8} hands
 * out, all in that column's one array. They are taken in batches: the table slots of a whole
 * batch are loaded first, so that their cache misses overlap instead of each row waiting for its
 * own, then each value is looked up in order and its group handed to the {@link Sink}, in the
 * order the rows were added. {@link #flush()} finishes the last batch.
 *
 * <p>The table is open addressing with one {@code long} per slot, so that a probe touches one
 * cache line: the value's hash in the high 32 bits, its group + 1 in the low ones (0 marks an
 * empty slot). Equal hashes are confirmed by comparing the bytes. It grows to stay at most two
 * thirds full.
 */
public final class Utf8Groups {
  /** Receives each added row with its group. */
  @FunctionalInterface
  public interface Sink {
    /**
     * Row {@code row}'s value is in group {@code group}; a new group if {@code group ==
     * groups - 1} and this is its first row ({@link #firstRow(int)} is then {@code row}).
     */
    void accept(int row, int group);
  }

  /** A 64-bit hash of a byte range; replaceable in tests, to force collisions. */
  @FunctionalInterface
  interface Hash {
    long of(byte[] data, int offset, int length);
  }

  private static final int BATCH = 256;
  private static final long TAG = 0xFFFF_FFFF_0000_0000L;

  private final Sink sink;
  private final Hash hash;
  private byte[] data;
  private long[] slots;
  private int mask;
  private int groups;
  private int[] groupRow = new int[16];
  private int[] groupOffset = new int[16];
  private int[] groupLength = new int[16];
  private final int[] batchRow = new int[BATCH];
  private final int[] batchOffset = new int[BATCH];
  private final int[] batchLength = new int[BATCH];
  private final long[] batchHash = new long[BATCH];
  private int pending;
  /** Keeps the touching loads live. */
  private long touchedSum;

  /** A table sized for about {@code expected} distinct values (it grows beyond). */
  public Utf8Groups(int expected, Sink sink) {
    this(expected, sink, Utf8Groups::hash);
  }

  Utf8Groups(int expected, Sink sink, Hash hash) {
    this.sink = sink;
    this.hash = hash;
    int capacity = Integer.highestOneBit(Math.max(8, expected + expected / 2 - 1)) << 1;
    this.slots = new long[capacity];
    this.mask = capacity - 1;
  }

  /**
   * Adds row {@code row}, whose value is {@code data[offset .. offset + length)}; {@code data}
   * must be the same array for every row.
   */
  public void add(int row, byte[] data, int offset, int length) {
    if (this.data == null) {
      this.data = data;
    } else if (this.data != data) {
      throw new IllegalStateException("values must all come from one column's storage");
    }
    batchRow[pending] = row;
    batchOffset[pending] = offset;
    batchLength[pending] = length;
    batchHash[pending] = hash.of(data, offset, length);
    if (++pending == BATCH) {
      flush();
    }
  }

  /** Looks up the rows added since the last flush and hands them to the sink. */
  public void flush() {
    long touched = 0;
    for (int i = 0; i < pending; i++) {
      touched += slots[(int) batchHash[i] & mask];
    }
    touchedSum += touched;
    for (int i = 0; i < pending; i++) {
      sink.accept(batchRow[i], groupOf(i));
    }
    pending = 0;
  }

  /** The number of distinct values so far. */
  public int groups() {
    return groups;
  }

  /** The first row added with group {@code group}'s value. */
  public int firstRow(int group) {
    return groupRow[group];
  }

  private int groupOf(int b) {
    long h = batchHash[b];
    long tag = h & TAG;
    int offset = batchOffset[b];
    int length = batchLength[b];
    int i = (int) h & mask;
    long slot;
    while ((slot = slots[i]) != 0) {
      int g = (int) slot - 1;
      if ((slot & TAG) == tag && Arrays.equals(data, groupOffset[g], groupOffset[g]
          + groupLength[g], data, offset, offset + length)) {
        return g;
      }
      i = (i + 1) & mask;
    }
    int g = groups++;
    if (g == groupRow.length) {
      int size = g * 2;
      groupRow = Arrays.copyOf(groupRow, size);
      groupOffset = Arrays.copyOf(groupOffset, size);
      groupLength = Arrays.copyOf(groupLength, size);
    }
    groupRow[g] = batchRow[b];
    groupOffset[g] = offset;
    groupLength[g] = length;
    slots[i] = tag | (g + 1L);
    if (groups > slots.length / 3 * 2) {
      grow();
    }
    return g;
  }

  private void grow() {
    long[] bigger = new long[slots.length * 2];
    int biggerMask = bigger.length - 1;
    for (long slot : slots) {
      if (slot != 0) {
        int g = (int) slot - 1;
        int i = (int) hash.of(data, groupOffset[g], groupLength[g]) & biggerMask;
        while (bigger[i] != 0) {
          i = (i + 1) & biggerMask;
        }
        bigger[i] = slot;
      }
    }
    slots = bigger;
    mask = biggerMask;
  }

  /** A 64-bit hash of {@code data[offset, offset + length)} (FNV-1a, then a final mix). */
  static long hash(byte[] data, int offset, int length) {
    long h = 0xcbf29ce484222325L;
    for (int i = offset; i < offset + length; i++) {
      h = (h ^ (data[i] & 0xff)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    return h ^ (h >>> 33);
  }
}
