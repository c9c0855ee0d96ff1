package dev.privseg.core.dataset;

import java.util.Arrays;

/**
 * An immutable bitmap of missing values: bit {@code i} is set when row {@code i} has no value.
 * One {@code long} per 64 rows.
 */
public final class NullMask {
  private static final long[] EMPTY = new long[0];
  private final long[] bits;
  private final int size;
  private final int nullCount;

  NullMask(long[] bits, int size) {
    this.bits = bits;
    this.size = size;
    int count = 0;
    for (long word : bits) {
      count += Long.bitCount(word);
    }
    this.nullCount = count;
  }

  /** A mask of {@code size} rows with no missing value. */
  public static NullMask none(int size) {
    return new NullMask(EMPTY, size);
  }

  /** Whether row {@code row} is missing. */
  public boolean isNull(int row) {
    int word = row >>> 6;
    return word < bits.length && (bits[word] & (1L << row)) != 0;
  }

  /** The number of rows covered. */
  public int size() {
    return size;
  }

  /** The number of missing values. */
  public int nullCount() {
    return nullCount;
  }

  /** The mask of the rows {@code rows}, in that order. */
  NullMask select(int[] rows) {
    if (nullCount == 0) {
      return none(rows.length);
    }
    long[] out = new long[words(rows.length)];
    for (int i = 0; i < rows.length; i++) {
      if (isNull(rows[i])) {
        out[i >>> 6] |= 1L << i;
      }
    }
    return new NullMask(out, rows.length);
  }

  static int words(int size) {
    return (size + 63) >>> 6;
  }

  /** Appends bits one row at a time. */
  static final class Builder {
    private long[] bits = EMPTY;
    private int size;
    private boolean anyNull;

    void append(boolean isNull) {
      if (isNull) {
        int word = size >>> 6;
        if (word >= bits.length) {
          bits = Arrays.copyOf(bits, Math.max(word + 1, bits.length * 2));
        }
        bits[word] |= 1L << size;
        anyNull = true;
      }
      size++;
    }

    NullMask build() {
      return anyNull ? new NullMask(Arrays.copyOf(bits, words(size)), size) : none(size);
    }
  }
}
