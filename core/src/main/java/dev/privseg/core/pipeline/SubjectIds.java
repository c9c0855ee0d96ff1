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
    int capacity = Integer.highestOneBit(rows.length * 2 - 1) << 1;
    int mask = capacity - 1;
    long[] hashes = new long[capacity];
    int[] owners = new int[capacity]; // row + 1; 0 marks an empty slot
    boolean[] wanted = new boolean[ids.size()];
    for (int r : rows) {
      wanted[r] = true;
    }
    int[][] found = new int[1][];
    ids.forEachUtf8((row, data, offset, length) -> {
      if (!wanted[row] || found[0] != null) {
        return;
      }
      long h = hash(data, offset, length);
      int i = (int) (h ^ (h >>> 32)) & mask;
      while (owners[i] != 0) {
        if (hashes[i] == h && ids.get(owners[i] - 1).equals(ids.get(row))) {
          found[0] = new int[] {owners[i] - 1, row};
          return;
        }
        i = (i + 1) & mask;
      }
      hashes[i] = h;
      owners[i] = row + 1;
    });
    return found[0];
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
