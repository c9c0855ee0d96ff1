package dev.privseg.core.dataset;

import dev.privseg.core.schema.Field;
import java.util.List;

/**
 * A column of labels stored as {@code int} codes into a dictionary. Codes run from 0 to
 * {@code cardinality() - 1}; a missing row holds code -1.
 */
public final class CategoricalColumn extends Column {
  private final int[] codes;
  private final List<String> dictionary;

  CategoricalColumn(Field field, int[] codes, List<String> dictionary, NullMask nulls) {
    super(field, nulls);
    this.codes = codes;
    this.dictionary = List.copyOf(dictionary);
  }

  /** Creates a column from codes (copied) into {@code dictionary}; -1 marks a missing value. */
  public static CategoricalColumn of(Field field, int[] codes, List<String> dictionary) {
    NullMask.Builder nulls = new NullMask.Builder();
    for (int code : codes) {
      if (code < -1 || code >= dictionary.size()) {
        throw new IllegalArgumentException("code out of range for field '" + field.name() + "'");
      }
      nulls.append(code < 0);
    }
    return new CategoricalColumn(field, codes.clone(), dictionary, nulls.build());
  }

  /** The code of row {@code row}, or -1 if missing. */
  public int code(int row) {
    return codes[row];
  }

  /** The label of {@code code}. */
  public String label(int code) {
    return dictionary.get(code);
  }

  /** The number of distinct labels in the dictionary. */
  public int cardinality() {
    return dictionary.size();
  }

  /** The dictionary: label of each code, in code order. */
  public List<String> dictionary() {
    return dictionary;
  }

  @Override
  public CategoricalColumn withRowsMissing(boolean[] missing) {
    int[] out = codes.clone();
    for (int r = 0; r < out.length; r++) {
      if (missing[r]) {
        out[r] = -1;
      }
    }
    return new CategoricalColumn(field(), out, dictionary, nullsWith(missing));
  }

  @Override
  public CategoricalColumn select(int[] rows) {
    int[] out = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = codes[rows[i]];
    }
    return new CategoricalColumn(field(), out, dictionary, nulls().select(rows));
  }
}
