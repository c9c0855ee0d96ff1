package dev.privseg.anonymization.internal;

import dev.privseg.core.dataset.CategoricalColumn;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.LongColumn;
import dev.privseg.core.dataset.NumberColumn;
import dev.privseg.core.dataset.NumericColumn;
import dev.privseg.core.dataset.StringColumn;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Dense integer codes of a column's values, shared by the anonymizers' encodings. */
public final class Codes {
  private Codes() {}

  /** Dense codes of the column's values in first-seen order; missing rows get -1. */
  public static int[] base(Column column, List<String> values) {
    int n = column.size();
    int[] out = new int[n];
    int missing = -1;
    if (column instanceof CategoricalColumn cat) {
      int[] dense = new int[cat.cardinality()];
      Arrays.fill(dense, -1);
      for (int r = 0; r < n; r++) {
        int c = cat.code(r);
        if (c < 0) {
          out[r] = missing;
        } else {
          if (dense[c] < 0) {
            dense[c] = values.size();
            values.add(cat.label(c));
          }
          out[r] = dense[c];
        }
      }
    } else if (column instanceof NumberColumn num) {
      LongIntMap ids = new LongIntMap();
      ids.clear(1024);
      for (int r = 0; r < n; r++) {
        if (column.isNull(r)) {
          out[r] = missing;
          continue;
        }
        long key = num instanceof LongColumn l ? l.get(r)
            : Double.doubleToLongBits(((NumericColumn) num).get(r) + 0.0);
        int id = ids.idOf(key);
        if (id == values.size()) {
          values.add(column.text(r));
        }
        out[r] = id;
      }
    } else if (column instanceof StringColumn) {
      return byText(column, values);
    }
    return out;
  }

  public static void fillMissing(int[] codes, int missingCode) {
    for (int r = 0; r < codes.length; r++) {
      if (codes[r] < 0) {
        codes[r] = missingCode;
      }
    }
  }

  /**
   * Codes of a column's values by their text form, in the code space of {@code values} (which is
   * extended with new values); missing rows get -1. For text columns and population tables.
   */
  public static int[] byText(Column column, List<String> values) {
    Map<String, Integer> ids = new HashMap<>();
    for (int v = 0; v < values.size(); v++) {
      ids.put(values.get(v), v);
    }
    int[] out = new int[column.size()];
    for (int r = 0; r < out.length; r++) {
      String v = column.text(r);
      if (v == null) {
        out[r] = -1;
        continue;
      }
      Integer id = ids.get(v);
      if (id == null) {
        id = values.size();
        ids.put(v, id);
        values.add(v);
      }
      out[r] = id;
    }
    return out;
  }

  /**
   * The distinct present values of {@code column} in the order first seen (+0.0 for a zero),
   * filling {@code given} with each row's index among them, -1 for a missing row.
   */
  public static double[] numbers(NumberColumn column, int[] given) {
    LongIntMap ids = new LongIntMap();
    ids.clear(1024);
    double[] numbers = new double[16];
    for (int r = 0; r < given.length; r++) {
      if (column.isNull(r)) {
        given[r] = -1;
        continue;
      }
      double v = column.asDouble(r) + 0.0;
      int id = ids.idOf(Double.doubleToLongBits(v));
      if (id == numbers.length) {
        numbers = Arrays.copyOf(numbers, id * 2);
      }
      numbers[id] = v;
      given[r] = id;
    }
    return Arrays.copyOf(numbers, ids.size());
  }
}
