package dev.privseg.core.dataset;

import dev.privseg.core.schema.Field;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A column of strings: TEXT and IDENTIFIER fields. Values are stored as UTF-8 bytes in one array
 * with an offset per row, not as one {@code String} object per row, so ten million identifiers
 * are two arrays for the garbage collector rather than ten million objects. {@link #get(int)}
 * decodes a fresh string on each call.
 */
public final class StringColumn extends Column {
  private final byte[] data;
  private final int[] offsets;

  StringColumn(Field field, byte[] data, int[] offsets, NullMask nulls) {
    super(field, nulls);
    this.data = data;
    this.offsets = offsets;
  }

  /** Creates a column from {@code values}; {@code null} elements are missing values. */
  public static StringColumn of(Field field, String[] values) {
    Utf8Buffer buffer = new Utf8Buffer();
    NullMask.Builder nulls = new NullMask.Builder();
    for (String v : values) {
      buffer.append(v == null ? "" : v);
      nulls.append(v == null);
    }
    return buffer.build(field, nulls.build());
  }

  /**
   * The value of row {@code row}. Throws {@link IllegalStateException} for a missing value; check
   * {@link #isNull(int)} first.
   */
  public String get(int row) {
    if (isNull(row)) {
      throw new IllegalStateException("row " + row + " of field '" + name() + "' is missing");
    }
    return new String(data, offsets[row], offsets[row + 1] - offsets[row],
        StandardCharsets.UTF_8);
  }

  /** Receives one row's value as UTF-8 bytes. */
  @FunctionalInterface
  public interface Utf8Visitor {
    /**
     * Row {@code row}'s value is {@code data[offset .. offset + length)}. The array is the
     * column's storage, the same for every row of one {@link #forEachUtf8} call: read it during
     * that call (earlier rows' ranges included), never modify it or keep it afterwards.
     */
    void visit(int row, byte[] data, int offset, int length);
  }

  /**
   * Visits every present row's value as UTF-8 bytes, without decoding a {@code String}: the
   * allocation-free path for hashing identifiers. Missing rows are skipped.
   */
  public void forEachUtf8(Utf8Visitor visitor) {
    for (int r = 0; r < size(); r++) {
      if (!isNull(r)) {
        visitor.visit(r, data, offsets[r], offsets[r + 1] - offsets[r]);
      }
    }
  }

  @Override
  public StringColumn withRowsMissing(boolean[] missing) {
    Utf8Buffer out = new Utf8Buffer();
    for (int r = 0; r < size(); r++) {
      out.append(isNull(r) || missing[r] ? "" : get(r));
    }
    return out.build(field(), nullsWith(missing));
  }

  @Override
  public StringColumn select(int[] rows) {
    int total = 0;
    for (int r : rows) {
      total += offsets[r + 1] - offsets[r];
    }
    byte[] out = new byte[total];
    int[] outOffsets = new int[rows.length + 1];
    int at = 0;
    for (int i = 0; i < rows.length; i++) {
      int from = offsets[rows[i]];
      int length = offsets[rows[i] + 1] - from;
      System.arraycopy(data, from, out, at, length);
      at += length;
      outOffsets[i + 1] = at;
    }
    return new StringColumn(field(), out, outOffsets, nulls().select(rows));
  }

  /** Appends UTF-8 strings into one growing byte array with row offsets. */
  static final class Utf8Buffer {
    private byte[] data = new byte[256];
    private int[] offsets = new int[17];
    private int size;

    void append(String value) {
      byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
      int end = offsets[size] + bytes.length;
      if (end > data.length) {
        data = Arrays.copyOf(data, Math.max(end, data.length * 2));
      }
      System.arraycopy(bytes, 0, data, offsets[size], bytes.length);
      if (size + 2 > offsets.length) {
        offsets = Arrays.copyOf(offsets, offsets.length * 2);
      }
      offsets[++size] = end;
    }

    StringColumn build(Field field, NullMask nulls) {
      return new StringColumn(field, Arrays.copyOf(data, offsets[size]),
          Arrays.copyOf(offsets, size + 1), nulls);
    }
  }
}
