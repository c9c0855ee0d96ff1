package dev.privseg.core.segment;

import dev.privseg.core.Checks;
import java.util.HashMap;
import java.util.Map;

/**
 * The adjusted Rand index (Hubert &amp; Arabie 1985) of two labelings of the same rows: 1 for
 * identical partitions (whatever the label numbers), about 0 for independent ones. Used for the
 * stability of a segmentation across seeds, and for how much anonymization changes segments.
 */
public final class AdjustedRand {
  private AdjustedRand() {}

  /** The index of {@code a} and {@code b}, which must have the same length (at least 2). */
  public static double index(int[] a, int[] b) {
    Checks.check(a.length == b.length, "labelings differ in length: %s and %s", a.length,
        b.length);
    Checks.check(a.length >= 2, "the adjusted Rand index needs at least 2 rows");
    Map<Long, Long> pairs = new HashMap<>();
    Map<Integer, Long> rowsA = new HashMap<>();
    Map<Integer, Long> rowsB = new HashMap<>();
    for (int i = 0; i < a.length; i++) {
      pairs.merge(((long) a[i] << 32) | (b[i] & 0xffffffffL), 1L, Long::sum);
      rowsA.merge(a[i], 1L, Long::sum);
      rowsB.merge(b[i], 1L, Long::sum);
    }
    double index = 0;
    for (long n : pairs.values()) {
      index += choose2(n);
    }
    double sumA = 0;
    for (long n : rowsA.values()) {
      sumA += choose2(n);
    }
    double sumB = 0;
    for (long n : rowsB.values()) {
      sumB += choose2(n);
    }
    double expected = sumA * sumB / choose2(a.length);
    double max = (sumA + sumB) / 2;
    return max == expected ? 1.0 : (index - expected) / (max - expected);
  }

  private static double choose2(long n) {
    return n * (n - 1) / 2.0;
  }
}
