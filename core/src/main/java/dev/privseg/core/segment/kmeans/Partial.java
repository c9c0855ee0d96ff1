package dev.privseg.core.segment.kmeans;

import java.util.Arrays;

/**
 * One chunk's part of a k-means step: changes to the centre sums and sizes, the inertia its
 * moved rows shed, and its searched rows' distances, summed in row order. A driver adds the
 * chunks' parts in chunk order, wherever the chunks were processed. Serializable, for engines
 * that process chunks on other machines.
 */
final class Partial implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  final double[] sums;
  final long[] counts;
  /** Scratch: the rows of a batch whose bounds do not settle them. */
  // Not sent: scratch, used where the chunk is processed.
  transient int[] candidates = new int[DistanceBlock.SIZE];
  final int d;
  /** Inertia shed by the chunk's moved rows (or, in a totals pass, the chunk's inertia). */
  double decrease;
  long changed;
  /** Rows searched, and the sum of their distances to their nearest centre, in row order. */
  long searched;
  double nearestSum;

  Partial(int k, int d) {
    this.sums = new double[k * d];
    this.counts = new long[k];
    this.d = d;
  }

  Partial reset() {
    Arrays.fill(sums, 0);
    Arrays.fill(counts, 0);
    decrease = 0;
    changed = 0;
    searched = 0;
    nearestSum = 0;
    return this;
  }

  void searched(double nearest) {
    searched++;
    nearestSum += nearest;
  }

  /** Adds ({@code sign} 1) or removes ({@code sign} -1) row {@code x[base..]} in cluster c. */
  void add(int c, double[] x, int base, int sign) {
    counts[c] += sign;
    int at = c * d;
    if (sign > 0) {
      for (int j = 0; j < d; j++) {
        sums[at + j] += x[base + j];
      }
    } else {
      for (int j = 0; j < d; j++) {
        sums[at + j] -= x[base + j];
      }
    }
  }
}
