package dev.privseg.core.pipeline;

import dev.privseg.core.dataset.CategoricalColumn;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.Dataset;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps only the categories that the processed rows hold. A column's dictionary is built from the
 * whole input, so it can name a label held only by a subject the gate excluded, by a row past the
 * retention limit, or by a special-category value withheld under GDPR Art. 9; no stage after those
 * may see it. Declared categories are public and stay whole.
 */
final class HeldCategories {
  private HeldCategories() {}

  /** {@code data} with every undeclared dictionary cut to the labels its rows hold. */
  static Dataset only(Dataset data) {
    for (Column c : data.columns()) {
      if (c instanceof CategoricalColumn cat && !cat.field().hasClosedCategories()) {
        CategoricalColumn held = held(cat);
        if (held != cat) {
          data = data.withColumn(held);
        }
      }
    }
    return data;
  }

  private static CategoricalColumn held(CategoricalColumn c) {
    int n = c.size();
    boolean[] used = new boolean[c.cardinality()];
    for (int r = 0; r < n; r++) {
      if (c.code(r) >= 0) {
        used[c.code(r)] = true;
      }
    }
    int[] remap = new int[used.length];
    List<String> dictionary = new ArrayList<>();
    for (int code = 0; code < used.length; code++) {
      remap[code] = used[code] ? dictionary.size() : -1;
      if (used[code]) {
        dictionary.add(c.label(code));
      }
    }
    if (dictionary.size() == used.length) {
      return c;
    }
    int[] codes = new int[n];
    for (int r = 0; r < n; r++) {
      codes[r] = c.code(r) < 0 ? -1 : remap[c.code(r)];
    }
    return CategoricalColumn.of(c.field(), codes, dictionary);
  }
}
