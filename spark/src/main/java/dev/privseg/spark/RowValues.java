package dev.privseg.spark;

import java.util.Iterator;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Row;

/**
 * A Spark row's values as an array, for a stage that writes the row again with more columns;
 * and a partition's rows mapped one by one, lazily.
 */
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

  /** {@code rows}, each made into the row {@code each} gives, as they are read. */
  static Iterator<Row> map(Iterator<Row> rows, UnaryOperator<Row> each) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        return each.apply(rows.next());
      }
    };
  }
}
