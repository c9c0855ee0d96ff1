package dev.privseg.spark;

import org.apache.spark.sql.Row;

/** A Spark row's values as an array, for a stage that writes the row again with more columns. */
final class RowValues {
  private RowValues() {}

  /** The values of {@code row}, in order, followed by {@code extra} empty slots. */
  static Object[] of(Row row, int extra) {
    Object[] values = new Object[row.length() + extra];
    for (int c = 0; c < row.length(); c++) {
      values[c] = row.get(c);
    }
    return values;
  }
}
