package dev.privseg.core.dataset;

import dev.privseg.core.schema.Field;

/** A column of numbers, real or whole. */
public abstract sealed class NumberColumn extends Column permits NumericColumn, LongColumn {
  NumberColumn(Field field, NullMask nulls) {
    super(field, nulls);
  }

  /** The value of row {@code row} as a {@code double}; 0 for a missing value. */
  public abstract double asDouble(int row);
}
