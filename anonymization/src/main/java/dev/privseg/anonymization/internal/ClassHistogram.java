package dev.privseg.anonymization.internal;

import dev.privseg.anonymization.model.SensitiveValues;
import java.util.Arrays;

/**
 * The sensitive values of one class at a time, counted in dense scratch arrays over the codes of
 * a {@link SensitiveCodes}: fill with {@link #add}, read as {@link SensitiveValues}, then
 * {@link #clear}. Every measure depends on the counts alone, to the last bit: sums run in code
 * order, whatever order the rows were counted in. Allocates only when first sorted. Not
 * thread-safe.
 */
public final class ClassHistogram implements SensitiveValues {
  private final SensitiveCodes codes;
  private final int[] count;
  private final int[] touched;
  private int[] sorted;
  private boolean isSorted;
  /** Whether {@link #touched} is in code order. */
  private boolean inCodeOrder;
  private int distinct;
  private long total;

  /** An empty histogram over the codes of {@code codes}. */
  public ClassHistogram(SensitiveCodes codes) {
    this.codes = codes;
    this.count = new int[codes.distinct];
    this.touched = new int[codes.distinct];
  }

  /** The field counted. */
  public String field() {
    return codes.field;
  }

  /** Counts {@code times} rows holding {@code code}. */
  public void add(int code, int times) {
    if (count[code] == 0) {
      touched[distinct++] = code;
    }
    count[code] += times;
    total += times;
    isSorted = false;
    inCodeOrder = false;
  }

  /** Counts every row in {@code rows[from, to)} by its code. */
  public void addRows(int[] rows, int from, int to) {
    int[] code = codes.code;
    for (int i = from; i < to; i++) {
      add(code[rows[i]], 1);
    }
  }

  /** Empties the histogram, in time proportional to the values it held. */
  public void clear() {
    for (int i = 0; i < distinct; i++) {
      count[touched[i]] = 0;
    }
    distinct = 0;
    total = 0;
    isSorted = false;
    inCodeOrder = false;
  }

  /** Puts the codes counted in code order, so that sums over them run in one order. */
  private void inCodeOrder() {
    if (!inCodeOrder) {
      Arrays.sort(touched, 0, distinct);
      inCodeOrder = true;
    }
  }

  @Override
  public int distinct() {
    return distinct;
  }

  @Override
  public int frequency(int rank) {
    if (rank < 1 || rank > distinct) {
      throw new IndexOutOfBoundsException("rank " + rank + " is outside 1.." + distinct);
    }
    if (!isSorted) {
      if (sorted == null) {
        sorted = new int[count.length];
      }
      for (int i = 0; i < distinct; i++) {
        sorted[i] = count[touched[i]];
      }
      Arrays.sort(sorted, 0, distinct);
      isSorted = true;
    }
    return sorted[distinct - rank];
  }

  @Override
  public double entropy() {
    inCodeOrder();
    double h = 0;
    for (int i = 0; i < distinct; i++) {
      double p = (double) count[touched[i]] / total;
      h -= p * Math.log(p);
    }
    return h;
  }

  @Override
  public double distanceToTable() {
    double[] overall = codes.overall;
    if (!codes.ordered) {
      inCodeOrder();
      double sum = 1;
      for (int i = 0; i < distinct; i++) {
        double q = overall[touched[i]];
        sum += Math.abs((double) count[touched[i]] / total - q) - q;
      }
      return Math.max(0, sum / 2);
    }
    int m = overall.length;
    if (m <= 1) {
      return 0;
    }
    double cumulative = 0;
    double sum = 0;
    for (int v = 0; v < m - 1; v++) {
      cumulative += (double) count[v] / total - overall[v];
      sum += Math.abs(cumulative);
    }
    return sum / (m - 1);
  }
}
