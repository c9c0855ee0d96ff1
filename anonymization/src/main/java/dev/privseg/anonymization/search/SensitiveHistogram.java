package dev.privseg.anonymization.search;

import java.util.Arrays;

/**
 * The sensitive values of one equivalence class, counted in a dense scratch array: what
 * l-diversity (distinct, entropy, recursive) and t-closeness (earth mover's distance) test.
 */
final class SensitiveHistogram {
  final Encoding.Sensitive sensitive;
  final int[] count;
  final int[] touched;
  int distinct;

  SensitiveHistogram(Encoding.Sensitive sensitive) {
    this.sensitive = sensitive;
    this.count = new int[sensitive.distinct];
    this.touched = new int[sensitive.distinct];
  }

  void fill(int[] members, int from, int to) {
    for (int i = from; i < to; i++) {
      int b = members[i];
      for (int e = sensitive.start[b]; e < sensitive.start[b + 1]; e++) {
        int code = sensitive.code[e];
        if (count[code] == 0) {
          touched[distinct++] = code;
        }
        count[code] += sensitive.count[e];
      }
    }
  }

  void clear() {
    for (int i = 0; i < distinct; i++) {
      count[touched[i]] = 0;
    }
    distinct = 0;
  }

  double entropy(int total) {
    double h = 0;
    for (int i = 0; i < distinct; i++) {
      double p = (double) count[touched[i]] / total;
      h -= p * Math.log(p);
    }
    return h;
  }

  boolean recursive(double c, int l) {
    if (distinct < l) {
      return false;
    }
    int[] sorted = new int[distinct];
    for (int i = 0; i < distinct; i++) {
      sorted[i] = count[touched[i]];
    }
    Arrays.sort(sorted);
    // sorted ascending: r1 is the last, r_l .. r_m are the first distinct - l + 1.
    long tail = 0;
    for (int i = 0; i <= distinct - l; i++) {
      tail += sorted[i];
    }
    return sorted[distinct - 1] < c * tail;
  }

  /** Earth mover's distance to the whole table's distribution. */
  double distance(int total) {
    double[] overall = sensitive.overall;
    if (!sensitive.ordered) {
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
