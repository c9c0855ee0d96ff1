package dev.privseg.core.dataset;

import dev.privseg.core.schema.Field;

/** A column of real numbers stored as {@code double[]}. */
public final class NumericColumn extends NumberColumn {
  private final double[] values;

  NumericColumn(Field field, double[] values, NullMask nulls) {
    super(field, nulls);
    this.values = values;
  }

  /** Creates a column from {@code values} (copied) and a mask of missing rows. */
  public static NumericColumn of(Field field, double[] values, NullMask nulls) {
    return new NumericColumn(field, values.clone(), nulls);
  }

  /** Creates a column of {@code values} (copied) with no missing value. */
  public static NumericColumn of(Field field, double[] values) {
    return of(field, values, NullMask.none(values.length));
  }

  /** The value of row {@code row}; 0 for a missing value. */
  public double get(int row) {
    return values[row];
  }

  @Override
  public double asDouble(int row) {
    return values[row];
  }

  /** A copy of the values; missing rows hold 0. */
  public double[] toArray() {
    return values.clone();
  }

  @Override
  public NumericColumn select(int[] rows) {
    double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = values[rows[i]];
    }
    return new NumericColumn(field(), out, nulls().select(rows));
  }

  @Override
  public NumericColumn withRowsMissing(boolean[] missing) {
    double[] out = values.clone();
    for (int r = 0; r < out.length; r++) {
      if (missing[r]) {
        out[r] = 0;
      }
    }
    return new NumericColumn(field(), out, nullsWith(missing));
  }

  /** This column's storage under another field declaration (same size). */
  public NumericColumn withField(Field newField) {
    return new NumericColumn(newField, values, nulls());
  }
}
