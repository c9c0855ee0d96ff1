package dev.privseg.anonymization.search;

import dev.privseg.core.anonymize.AnonymizedData;
import dev.privseg.core.dataset.CategoricalColumn;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.NumberColumn;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.FieldType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The transformation a {@link GeneralizationAnonymizer} chose for one table, and what it achieves:
 * the level per quasi-identifier, rows suppressed, the achieved k, l and t, information loss under
 * every metric, and the prosecutor re-identification risk before and after. Holds counts and
 * parameters only; the released rows are in {@link #anonymized()}. Immutable.
 */
public final class GeneralizationResult {
  private final GeneralizationChoice choice;
  private final AnonymizedData anonymized;

  GeneralizationResult(GeneralizationChoice choice, Dataset data) {
    this.choice = choice;
    Encoding enc = choice.enc;
    int[] releasedRows = releasedRows(choice, enc);
    this.anonymized = new AnonymizedData(output(data, enc, choice.chosen, releasedRows),
        releasedRows, choice.summary(), choice.guarantees(), choice.coveredFields());
  }

  /** The level chosen for each quasi-identifier (0 = as it is; the top = suppressed). */
  public Map<String, Integer> levels() {
    return choice.levels();
  }

  /** Rows suppressed: in classes that broke a model; never released. */
  public int suppressedRows() {
    return choice.suppressedRows();
  }

  /** The number of released equivalence classes. */
  public int classes() {
    return choice.classes();
  }

  /** The achieved k: the size of the smallest released class (0 if nothing is released). */
  public int achievedK() {
    return choice.achievedK();
  }

  /** The information loss of the chosen transformation under the configured metric. */
  public double informationLoss() {
    return choice.informationLoss();
  }

  /**
   * The chosen transformation as a scheme, to save and re-apply to later batches without a new
   * search ({@link GeneralizationAnonymizer#withScheme}).
   */
  public TransformationScheme scheme() {
    return choice.scheme();
  }

  /** Everything the processing record states about this result. */
  public Map<String, Object> summary() {
    return choice.summary();
  }

  /** The released rows and the guarantees that hold for them. */
  public AnonymizedData anonymized() {
    return anonymized;
  }

  private static int[] releasedRows(GeneralizationChoice choice, Encoding enc) {
    int[] out = new int[enc.rows - choice.suppressedRows()];
    boolean[] released = choice.releasedClasses();
    int i = 0;
    for (int r = 0; r < enc.rows; r++) {
      if (released[enc.classOfRow[r]]) {
        out[i++] = r;
      }
    }
    return out;
  }

  private static Dataset output(Dataset data, Encoding enc, int[] lv, int[] rows) {
    List<Column> out = new ArrayList<>();
    for (Column c : data.columns()) {
      int q = Arrays.asList(enc.names).indexOf(c.name());
      if (q < 0 || (lv[q] == 0 && c instanceof NumberColumn)) {
        out.add(c.select(rows));
        continue;
      }
      String[] labels = enc.labels[q][lv[q]];
      int[] dense = new int[labels.length];
      List<String> dictionary = new ArrayList<>();
      for (int i = 0; i < labels.length; i++) {
        dense[i] = labels[i] == null ? -1 : dictionary.size();
        if (labels[i] != null) {
          dictionary.add(labels[i]);
        }
      }
      int[] map = enc.map[q][lv[q]];
      int[] codes = new int[rows.length];
      for (int i = 0; i < rows.length; i++) {
        int b = enc.classOfRow[rows[i]];
        codes[i] = dense[map[enc.bottomCodes[b * enc.qis + q]]];
      }
      Field f = c.field();
      out.add(CategoricalColumn.of(new Field(f.name(), FieldType.CATEGORICAL, f.role(), false,
          List.of()), codes, dictionary));
    }
    return Dataset.of(out);
  }

  @Override
  public String toString() {
    return "GeneralizationResult[levels=" + levels() + ", suppressed=" + suppressedRows() + ", k="
        + achievedK() + ", loss=" + informationLoss() + "]";
  }
}
