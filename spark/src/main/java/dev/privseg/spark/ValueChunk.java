package dev.privseg.spark;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;

/**
 * A chunk's rows' values held by column, for the stages after the fit (profiles, assignments,
 * microdata): numbers as primitive arrays with a bit per missing value, categories as codes into
 * their dictionary (-1 missing), text as UTF-8 bytes end to end. A chunk of {@code Row} objects
 * takes several times the memory (a boxed value or a {@code String} per cell); this is what the
 * cluster caches per row beside the features. Made by {@link SparkFeatures.Encoding#pack}; read-only after.
 */
final class ValueChunk implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How a column is held. */
  enum Kind {
    /** A {@code NUMERIC} field: {@code double}. */
    DOUBLE,
    /** An {@code INTEGER} field: {@code long}. */
    LONG,
    /** A categorical field: its label's code in the dictionary. */
    CODE,
    /** Text carried as it is (a pseudonym). */
    TEXT
  }

  final int index;
  final int rows;
  /** Per column: {@code double[]}, {@code long[]}, {@code int[]} or {@link Text}. */
  private final Object[] columns;
  /** Per number column: its missing rows; null for other columns. */
  private final BitSet[] missing;

  ValueChunk(int index, int rows, Object[] columns, BitSet[] missing) {
    this.index = index;
    this.rows = rows;
    this.columns = columns;
    this.missing = missing;
  }

  /** Whether column {@code c} has no value at row {@code r}. */
  boolean isNull(int c, int r) {
    Object column = columns[c];
    if (column instanceof int[] codes) {
      return codes[r] < 0;
    }
    if (column instanceof Text) {
      return false;
    }
    return missing[c].get(r);
  }

  /** Number column {@code c}'s value at row {@code r} as a double (present values only). */
  double number(int c, int r) {
    Object column = columns[c];
    return column instanceof double[] d ? d[r] : (double) ((long[]) column)[r];
  }

  /** Category column {@code c}'s code at row {@code r} (-1 if missing). */
  int code(int c, int r) {
    return ((int[]) columns[c])[r];
  }

  /** Text column {@code c}'s value at row {@code r}. */
  String text(int c, int r) {
    return ((Text) columns[c]).get(r);
  }

  /**
   * Column {@code c}'s value at row {@code r} in the field's canonical Spark type ({@code Double},
   * {@code Long}, the label or the text; null if missing), {@code labels} the column's dictionary.
   */
  Object value(int c, int r, String[] labels) {
    if (isNull(c, r)) {
      return null;
    }
    Object column = columns[c];
    if (column instanceof double[] d) {
      return d[r];
    }
    if (column instanceof long[] l) {
      return l[r];
    }
    if (column instanceof int[] codes) {
      return labels[codes[r]];
    }
    return ((Text) column).get(r);
  }

  /** Strings (never missing) as UTF-8 bytes, one after another, with where each ends. */
  static final class Text implements Serializable {
    private static final long serialVersionUID = 1L;
    private final byte[] bytes;
    private final int[] ends;

    Text(String[] values) {
      ends = new int[values.length];
      byte[][] encoded = new byte[values.length][];
      int length = 0;
      for (int i = 0; i < values.length; i++) {
        encoded[i] = values[i].getBytes(StandardCharsets.UTF_8);
        length += encoded[i].length;
        ends[i] = length;
      }
      bytes = new byte[length];
      for (int i = 0; i < values.length; i++) {
        System.arraycopy(encoded[i], 0, bytes, ends[i] - encoded[i].length, encoded[i].length);
      }
    }

    String get(int i) {
      int start = i == 0 ? 0 : ends[i - 1];
      return new String(bytes, start, ends[i] - start, StandardCharsets.UTF_8);
    }
  }
}
