package dev.privseg.core.dataset;

import dev.privseg.core.schema.Field;

/**
 * One immutable column of a {@link Dataset}: primitive storage for one {@link Field}, with a
 * {@link NullMask} for missing values. Thread-safe.
 *
 * <p>{@link #toString()} shows the field and the size, never values.
 */
public abstract sealed class Column permits NumberColumn, CategoricalColumn, StringColumn {
  private final Field field;
  private final NullMask nulls;

  Column(Field field, NullMask nulls) {
    this.field = field;
    this.nulls = nulls;
  }

  /** The field this column stores. */
  public final Field field() {
    return field;
  }

  /** The field's name. */
  public final String name() {
    return field.name();
  }

  /** The number of rows. */
  public final int size() {
    return nulls.size();
  }

  /** Whether row {@code row} has no value. */
  public final boolean isNull(int row) {
    return nulls.isNull(row);
  }

  /** The number of rows without a value. */
  public final int nullCount() {
    return nulls.nullCount();
  }

  /** The null mask. */
  public final NullMask nulls() {
    return nulls;
  }

  /**
   * The value of row {@code row} as text, in the form {@link dev.privseg.core.io.CsvReader} reads
   * back: a category's label, integers and whole numbers without a decimal part, other numbers as
   * {@link Double#toString}, dates as ISO-8601 dates, timestamps as ISO-8601 instants; null if
   * the row has no value.
   */
  public final String text(int row) {
    if (isNull(row)) {
      return null;
    }
    if (this instanceof CategoricalColumn cat) {
      return cat.label(cat.code(row));
    }
    if (this instanceof StringColumn s) {
      return s.get(row);
    }
    if (this instanceof LongColumn l) {
      switch (field.type()) {
        case DATE:
          return java.time.LocalDate.ofEpochDay(l.get(row)).toString();
        case TIMESTAMP:
          return java.time.Instant.ofEpochMilli(l.get(row)).toString();
        default:
          return Long.toString(l.get(row));
      }
    }
    double v = ((NumericColumn) this).get(row);
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /** A new column holding rows {@code rows} of this one, in that order. */
  public abstract Column select(int[] rows);

  /**
   * A copy of this column in which every row {@code r} with {@code missing[r]} has no value (used
   * to withhold a value, e.g. a special category without explicit consent).
   */
  public abstract Column withRowsMissing(boolean[] missing);

  /** The null mask of this column with {@code missing} rows added. */
  final NullMask nullsWith(boolean[] missing) {
    NullMask.Builder b = new NullMask.Builder();
    for (int r = 0; r < size(); r++) {
      b.append(isNull(r) || missing[r]);
    }
    return b.build();
  }

  @Override
  public final String toString() {
    return getClass().getSimpleName() + "[" + field.name() + ", " + field.type() + ", rows="
        + size() + ", nulls=" + nullCount() + "]";
  }
}
