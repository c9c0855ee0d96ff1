package dev.privseg.anonymization.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** Prosecutor re-identification risk of a set of equivalence classes, for processing records. */
public final class RiskSummary {
  private RiskSummary() {}

  /**
   * Highest and average prosecutor risk, share of rows at risk and sample uniques.
   *
   * @param sizes class sizes
   * @param excluded classes to leave out (suppressed), or null
   * @param rows the rows in the classes not left out
   * @param threshold the risk above which a row counts as at risk
   */
  public static Map<String, Object> prosecutor(int[] sizes, boolean[] excluded, int rows,
      double threshold) {
    int classes = 0;
    int smallest = Integer.MAX_VALUE;
    long atRisk = 0;
    int uniques = 0;
    for (int c = 0; c < sizes.length; c++) {
      if (excluded != null && excluded[c]) {
        continue;
      }
      classes++;
      smallest = Math.min(smallest, sizes[c]);
      if (1.0 / sizes[c] > threshold) {
        atRisk += sizes[c];
      }
      if (sizes[c] == 1) {
        uniques++;
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("prosecutorHighest", classes == 0 ? 0 : round(1.0 / smallest));
    out.put("prosecutorAverage", rows == 0 ? 0 : round((double) classes / rows));
    out.put("shareAtRisk", rows == 0 ? 0 : round((double) atRisk / rows));
    out.put("sampleUniques", uniques);
    return out;
  }

  /** Rounds to six decimals, as every figure in a record. */
  public static double round(double v) {
    return Math.round(v * 1e6) / 1e6;
  }

  /** The sizes of the classes of rows equal on every column of {@code values[q][row]}. */
  public static int[] classSizes(double[][] values, int rows) {
    int[] ids = classIds(values, rows);
    int classes = 0;
    for (int id : ids) {
      classes = Math.max(classes, id + 1);
    }
    int[] sizes = new int[classes];
    for (int id : ids) {
      sizes[id]++;
    }
    return sizes;
  }

  /** A dense class id per row: rows equal on every column of {@code values[q][row]} share it. */
  public static int[] classIds(double[][] values, int rows) {
    int[] ids = new int[rows];
    int[] field = new int[rows];
    for (double[] column : values) {
      LongIntMap valueIds = new LongIntMap();
      valueIds.clear(Math.min(rows, 1 << 16));
      for (int r = 0; r < rows; r++) {
        field[r] = valueIds.idOf(Double.doubleToLongBits(column[r] + 0.0));
      }
      LongIntMap.combine(ids, field);
    }
    return ids;
  }
}
