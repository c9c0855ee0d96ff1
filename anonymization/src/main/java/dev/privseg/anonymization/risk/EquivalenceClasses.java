package dev.privseg.anonymization.risk;

import dev.privseg.anonymization.internal.LongIntMap;
import dev.privseg.core.Checks;
import dev.privseg.core.dataset.CategoricalColumn;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.NumberColumn;
import dev.privseg.core.dataset.StringColumn;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The equivalence classes of a table on its quasi-identifiers: rows with equal values on all of
 * them (a missing value counts as a value of its own). Rows are encoded as primitive code tuples
 * packed into {@code long} keys, so counting allocates per class, not per row, for up to 64 bits
 * of codes (wider tuples are combined one field at a time). The basis of k-anonymity and of the
 * prosecutor re-identification risk.
 */
public final class EquivalenceClasses {
  private final int[] classOfRow;
  private final int[] sizes;

  private EquivalenceClasses(int[] classOfRow, int[] sizes) {
    this.classOfRow = classOfRow;
    this.sizes = sizes;
  }

  /** The classes of {@code data} on {@code quasiIdentifiers} as they are. */
  public static EquivalenceClasses of(Dataset data, List<String> quasiIdentifiers) {
    Checks.check(!quasiIdentifiers.isEmpty(), "at least one quasi-identifier is needed");
    int[][] codes = new int[quasiIdentifiers.size()][];
    for (int q = 0; q < codes.length; q++) {
      codes[q] = codesOf(data.column(quasiIdentifiers.get(q)));
    }
    return of(codes, data.rowCount());
  }

  /** The classes of rows given as one code array per quasi-identifier (-1 = missing). */
  public static EquivalenceClasses of(int[][] codes, int rows) {
    int[] bits = new int[codes.length];
    int total = 0;
    for (int q = 0; q < codes.length; q++) {
      int max = 0;
      for (int v : codes[q]) {
        max = Math.max(max, v + 1);
      }
      bits[q] = 32 - Integer.numberOfLeadingZeros(max);
      total += bits[q];
    }
    int[] classOfRow = new int[rows];
    if (total <= 64) {
      // One packed key per row into a primitive table: no boxing, no per-row objects.
      LongIntMap index = new LongIntMap();
      index.clear(Math.min(rows, 1 << 16));
      for (int r = 0; r < rows; r++) {
        long packed = 0;
        for (int q = 0; q < codes.length; q++) {
          packed = (packed << bits[q]) | (codes[q][r] + 1L);
        }
        classOfRow[r] = index.idOf(packed);
      }
    } else {
      // Too wide to pack: combine one field at a time into dense ids.
      for (int[] field : codes) {
        LongIntMap.combine(classOfRow, field);
      }
    }
    int classes = 0;
    for (int c : classOfRow) {
      classes = Math.max(classes, c + 1);
    }
    int[] sizes = new int[classes];
    for (int c : classOfRow) {
      sizes[c]++;
    }
    return new EquivalenceClasses(classOfRow, sizes);
  }

  private static int[] codesOf(Column c) {
    int n = c.size();
    int[] out = new int[n];
    if (c instanceof CategoricalColumn cat) {
      for (int r = 0; r < n; r++) {
        out[r] = cat.code(r);
      }
      return out;
    }
    if (c instanceof NumberColumn num) {
      LongIntMap codes = new LongIntMap();
      codes.clear(1024);
      for (int r = 0; r < n; r++) {
        out[r] = c.isNull(r) ? -1 : codes.idOf(Double.doubleToLongBits(num.asDouble(r) + 0.0));
      }
      return out;
    }
    Map<String, Integer> codes = new HashMap<>();
    StringColumn s = (StringColumn) c;
    for (int r = 0; r < n; r++) {
      out[r] = c.isNull(r) ? -1 : codes.computeIfAbsent(s.get(r), k -> codes.size());
    }
    return out;
  }

  /** The number of classes. */
  public int count() {
    return sizes.length;
  }

  /** The size of the smallest class: the k of k-anonymity. */
  public int smallest() {
    int min = Integer.MAX_VALUE;
    for (int s : sizes) {
      min = Math.min(min, s);
    }
    return min;
  }

  /** The number of rows alone in their class (sample uniques). */
  public int uniques() {
    int u = 0;
    for (int s : sizes) {
      if (s == 1) {
        u++;
      }
    }
    return u;
  }

  /** The class of row {@code r}. */
  public int classOf(int r) {
    return classOfRow[r];
  }

  /** The size of class {@code c}. */
  public int size(int c) {
    return sizes[c];
  }

  /**
   * Prosecutor re-identification risk (El Emam 2013): the highest is 1 / smallest class, the
   * average is classes / rows, and the share of rows at risk is the share in classes whose risk
   * 1 / size exceeds {@code threshold}.
   *
   * @param threshold the risk above which a row counts as at risk, e.g. 0.2 (classes below 5)
   * @return the risk figures
   */
  public ProsecutorRisk prosecutorRisk(double threshold) {
    long rows = classOfRow.length;
    long atRisk = 0;
    for (int s : sizes) {
      if (1.0 / s > threshold) {
        atRisk += s;
      }
    }
    return new ProsecutorRisk(1.0 / smallest(), (double) count() / rows,
        (double) atRisk / rows, uniques());
  }

  /**
   * Prosecutor risk figures.
   *
   * @param highest the highest risk of any row
   * @param average the average risk over rows
   * @param shareAtRisk the share of rows whose risk exceeds the threshold
   * @param sampleUniques rows alone in their class
   */
  public record ProsecutorRisk(double highest, double average, double shareAtRisk,
      int sampleUniques) {}
}
