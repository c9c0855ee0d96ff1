package dev.privseg.core.pipeline;

import dev.privseg.core.dataset.StringColumn;

/**
 * Finds a subject id that occurs twice among a run's rows. A run's input has one row per
 * subject: the assignments map pseudonyms to segments, and a registry of memberships keys them by
 * pseudonym, so a second row for the same person would give them two segments, or two
 * conflicting records. The ids are compared by their UTF-8 bytes through a table of 64-bit
 * hashes, without decoding a {@code String} per row; equal hashes are confirmed by the values.
 */
final class SubjectIds {
  private SubjectIds() {}

  /**
   * The first pair of {@code rows} (ascending row numbers of {@code ids}, none missing) whose ids
   * are equal, as {@code {earlier, later}}, or {@code null} if every id is distinct.
   */
  static int[] firstRepeat(StringColumn ids, int[] rows) {
    if (rows.length < 2) {
      return null;
    }
    boolean[] wanted = new boolean[ids.size()];
    for (int r : rows) {
      wanted[r] = true;
    }
    Table table = new Table(ids, rows.length);
    ids.forEachUtf8((row, data, offset, length) -> {
      if (wanted[row]) {
        table.add(row, hash(data, offset, length));
      }
    });
    table.flush();
    return table.repeat;
  }

  /**
   * Open addressing, one {@code long} per slot so that a probe touches one cache line: the
   * hash's high 32 bits, then the row + 1 (0 marks an empty slot); the low bits pick the slot.
   * Rows are taken in batches whose slots are loaded first: the loads are independent, so their
   * cache misses overlap instead of each row waiting for its own.
   */
  private static final class Table {
    private static final int BATCH = 256;
    private static final long TAG = 0xFFFF_FFFF_0000_0000L;
    private final StringColumn ids;
    private final long[] slots;
    private final int mask;
    private final int[] batchRows = new int[BATCH];
    private final long[] batchHashes = new long[BATCH];
    private int count;
    private long sink;
    int[] repeat;

    Table(StringColumn ids, int expected) {
      this.ids = ids;
      // At most two thirds full: 16 M slots (128 MB) for 10 M ids, 2 M for 1 M.
      int capacity = Integer.highestOneBit(Math.max(2, expected + expected / 2 - 1)) << 1;
      this.slots = new long[capacity];
      this.mask = capacity - 1;
    }

    void add(int row, long hash) {
      batchRows[count] = row;
      batchHashes[count] = hash;
      if (++count == BATCH) {
        flush();
      }
    }

    void flush() {
      long touched = 0;
      for (int i = 0; i < count; i++) {
        touched += slots[(int) batchHashes[i] & mask];
      }
      sink += touched;
      for (int i = 0; i < count && repeat == null; i++) {
        insert(batchRows[i], batchHashes[i]);
      }
      count = 0;
    }

    private void insert(int row, long h) {
      long tag = h & TAG;
      int i = (int) h & mask;
      long slot;
      while ((slot = slots[i]) != 0) {
        int owner = (int) slot - 1;
        if ((slot & TAG) == tag && ids.get(owner).equals(ids.get(row))) {
          repeat = new int[] {owner, row};
          return;
        }
        i = (i + 1) & mask;
      }
      slots[i] = tag | (row + 1L);
    }
  }

  /** A 64-bit hash of {@code data[offset, offset + length)} (FNV-1a, then a final mix). */
  private static long hash(byte[] data, int offset, int length) {
    long h = 0xcbf29ce484222325L;
    for (int i = offset; i < offset + length; i++) {
      h = (h ^ (data[i] & 0xff)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    return h ^ (h >>> 33);
  }
}
