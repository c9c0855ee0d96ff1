package dev.privseg.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;

import dev.privseg.anonymization.mondrian.Mondrian;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.dataset.NumberColumn;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.Schema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One field's distinct values in the order of their first row, with their local form: the text
 * the local engine reads them as, or the number when the field is numeric. A value's code is its
 * place in that order; the missing value, if any, comes last.
 */
final class Codebook {
  final List<Object> values = new ArrayList<>();
  final List<String> texts = new ArrayList<>();
  /** Each present value's code, by {@link SparkAnonymize#key}. */
  final HashMap<Object, Integer> codes = new HashMap<>();
  double[] numbers;
  boolean missing;
  boolean numeric;
  /** With {@link #counted}, each code's rows; else null. */
  long[] counts;

  static Codebook of(Field field, List<Object> ordered) {
    Codebook book = new Codebook();
    DatasetBuilder local = dev.privseg.core.dataset.Dataset.builder(Schema.builder().add(
        new Field(field.name(), field.type(), field.role(), false, field.categories())).build());
    for (Object v : ordered) {
      if (v == null) {
        book.missing = true;
      } else {
        book.codes.put(SparkAnonymize.key(v), book.values.size());
        book.values.add(v);
        local.setObject(0, v);
        local.endRow();
      }
    }
    dev.privseg.core.dataset.Column column = local.build().columns().get(0);
    book.numeric = column instanceof NumberColumn;
    book.numbers = new double[book.values.size()];
    for (int r = 0; r < book.values.size(); r++) {
      book.texts.add(column.text(r));
      if (column instanceof NumberColumn n) {
        book.numbers[r] = n.asDouble(r) + 0.0;
      }
    }
    return book;
  }

  /**
   * The values of {@code field} in {@code rows} (which carry {@link SparkInput#ORDER}), in the
   * order of their first row, each with its rows: one aggregation, its result on the driver.
   */
  static Codebook counted(Dataset<Row> rows, Field field) {
    List<Row> found = new ArrayList<>(SparkErrors.action(rows.groupBy(col(field.name()))
        .agg(count(lit(1)), min(col(SparkInput.ORDER)))::collectAsList));
    found.sort(Comparator.comparingLong(r -> r.getLong(2)));
    List<Object> ordered = new ArrayList<>();
    found.forEach(r -> ordered.add(r.get(0)));
    Codebook book = of(field, ordered);
    book.counts = new long[book.values.size() + (book.missing ? 1 : 0)];
    found.forEach(r -> book.counts[book.code(r.get(0))] = r.getLong(1));
    return book;
  }

  /** These counted values as Mondrian's models count them. */
  Mondrian.SensitiveCounts sensitiveCounts(String field) {
    int present = values.size();
    long[] each = java.util.Arrays.copyOf(counts, present);
    long absent = missing ? counts[present] : 0;
    return numeric ? Mondrian.SensitiveCounts.ofNumbers(field, numbers, each, absent)
        : Mondrian.SensitiveCounts.ofCategories(field, texts, each, absent);
  }

  /** Each present value's code, to send to the executors. */
  Map<Object, Integer> codes() {
    return codes;
  }

  int code(Object value) {
    return value == null ? values.size() : codes.get(SparkAnonymize.key(value));
  }

  Object value(int code) {
    return code == values.size() ? null : values.get(code);
  }
}
