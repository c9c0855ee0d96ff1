package dev.privseg.core.dataset;

import dev.privseg.core.schema.Field;

/** A column of strings: TEXT and IDENTIFIER fields. A missing row holds {@code null} inside. */
public final class StringColumn extends Column {
  private final String[] values;

  StringColumn(Field field, String[] values, NullMask nulls) {
    super(field, nulls);
    this.values = values;
  }

  /** Creates a column from {@code values} (copied); {@code null} elements are missing values. */
  public static StringColumn of(Field field, String[] values) {
    NullMask.Builder nulls = new NullMask.Builder();
    for (String v : values) {
      nulls.append(v == null);
    }
    return new StringColumn(field, values.clone(), nulls.build());
  }

  /**
   * The value of row {@code row}. Throws {@link IllegalStateException} for a missing value; check
   * {@link #isNull(int)} first.
   */
  public String get(int row) {
    String v = values[row];
    if (v == null) {
      throw new IllegalStateException("row " + row + " of field '" + name() + "' is missing");
    }
    return v;
  }

  @Override
  public StringColumn select(int[] rows) {
    String[] out = new String[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = values[rows[i]];
    }
    return new StringColumn(field(), out, nulls().select(rows));
  }
}
