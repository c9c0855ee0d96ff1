package dev.privseg.core.dataset;

import dev.privseg.core.schema.Field;

/**
 * A column of whole numbers stored as {@code long[]}: INTEGER values, DATE values as epoch days and
 * TIMESTAMP values as epoch milliseconds.
 */
public final class LongColumn extends NumberColumn {
  private final long[] values;

  LongColumn(Field field, long[] values, NullMask nulls) {
    super(field, nulls);
    this.values = values;
  }

  /** Creates a column from {@code values} (copied) and a mask of missing rows. */
  public static LongColumn of(Field field, long[] values, NullMask nulls) {
    return new LongColumn(field, values.clone(), nulls);
  }

  /** The value of row {@code row}; 0 for a missing value. */
  public long get(int row) {
    return values[row];
  }

  @Override
  public double asDouble(int row) {
    return values[row];
  }

  @Override
  public LongColumn withRowsMissing(boolean[] missing) {
    long[] out = values.clone();
    for (int r = 0; r < out.length; r++) {
      if (missing[r]) {
        out[r] = 0;
      }
    }
    return new LongColumn(field(), out, nullsWith(missing));
  }

  @Override
  public LongColumn select(int[] rows) {
    long[] out = new long[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = values[rows[i]];
    }
    return new LongColumn(field(), out, nulls().select(rows));
  }
}
