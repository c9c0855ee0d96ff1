package dev.privseg.core.segment.kmeans;

/**
 * Squared distances from a block of up to {@link #SIZE} rows to every centre, with each row's
 * nearest centre, its distance, and (for Hamerly's bounds) the distance to the second-nearest
 * centre: the search at the heart of every Lloyd iteration. Scratch space for one thread; reused
 * from block to block.
 *
 * <p>The block's rows are copied feature-major (one array per feature), so that every loop below
 * runs over the block's rows with loop-invariant operands and separate arrays at offset zero: the
 * shape that HotSpot's C2 compiler turns into SIMD instructions without any flag or incubator
 * module. (With the rows in place, or with both operands in one array at variable offsets, it
 * stays scalar.) Picking the nearest centre is arithmetic rather than branches, so that it
 * vectorizes too and does not pay a mispredicted branch per row and centre on data without clear
 * clusters. Measured on 1,000,000 rows × 10 features, k = 8, one thread: 34–40 ms per full
 * search, against 75–100 ms for two rows at a time in registers. Features are taken four at a
 * time where they can be (then two, then one), so the running sum is read and written once per
 * four features rather than per feature, in the same order of additions: about a sixth less
 * time per search (11 against 9.5 ms of distances and choices per million rows, one thread).
 *
 * <p>Results are exactly those of {@link Distances#squared} and a scan in centre order: each
 * distance is summed over features in order from zero, the nearest centre is the first of equal
 * nearest ones, and the second distance is the smallest of the others (equal to the nearest one
 * on a tie). Rows whose distances overflow to infinity, or are not numbers, are settled by that
 * scan itself.
 */
final class DistanceBlock {
  /** Rows per block: the block's copy and distances fit a core's L1 and L2 caches. */
  static final int SIZE = 256;
  /**
   * {@code 2^600}: any positive difference of two doubles times it, twice, is at least 1 (the
   * smallest, {@code 2^-1074}, becomes {@code 2^126}).
   */
  private static final double SCALE = 0x1p600;

  private final int d;
  private final int k;
  /** Whether second-nearest distances are wanted (bounds need them; a plain search does not). */
  private final boolean seconds;
  /** The block's rows, feature-major: {@code columns[j][i]} is feature j of the block's row i. */
  private final double[][] columns;
  /** {@code distances[c][i]}: the squared distance from the block's row i to centre c. */
  private final double[][] distances;
  private final double[] nearest = new double[SIZE];
  private final double[] second = new double[SIZE];
  /** With {@code seconds}: each row's Hamerly bounds, rounded outwards, not yet cast. */
  private final double[] upperBound;
  private final double[] lowerBound;
  /** Scratch for {@link #bounds}: the cumulative move of each row's nearest centre. */
  private final double[] shift;
  /** The nearest centre of each row, as a double so that choosing it vectorizes. */
  private final double[] choice = new double[SIZE];
  private int size;
  /** Keeps the touching loads live. */
  private double sink;

  /**
   * Scratch space for {@code k} centres of {@code d} features; {@code seconds}: whether {@link
   * #secondDistance} is wanted (it costs about a tenth of a search).
   */
  DistanceBlock(int k, int d, boolean seconds) {
    this.k = k;
    this.d = d;
    this.seconds = seconds;
    this.upperBound = seconds ? new double[SIZE] : null;
    this.lowerBound = seconds ? new double[SIZE] : null;
    this.shift = seconds ? new double[SIZE] : null;
    this.columns = new double[d][SIZE];
    this.distances = new double[k][SIZE];
  }

  /**
   * Loads rows {@code from..from+count} of the row-major matrix {@code x}, a feature at a time:
   * one load and one store per step, where a row at a time runs a short inner loop per row (on
   * 1M rows × 10 features, one thread: about 5 ms against 7.8).
   */
  void loadRange(double[] x, int from, int count) {
    check(count);
    int base = from * d;
    for (int j = 0; j < d; j++) {
      double[] column = columns[j];
      for (int i = 0, at = base + j; i < count; i++, at += d) {
        column[i] = x[at];
      }
    }
    size = count;
  }

  /**
   * Loads the rows {@code rows[0..count)} of the row-major matrix {@code x}. Rows far apart in
   * memory are read with independent loads, so their cache misses overlap.
   */
  void load(double[] x, int[] rows, int count) {
    check(count);
    // Touch the first and last word of every row first: a short loop of independent loads, so
    // many more cache misses are in flight at once than the copy below, with ten loads and
    // stores per row, lets the processor overlap.
    double touched = 0;
    for (int i = 0; i < count; i++) {
      int base = rows[i] * d;
      touched += x[base] + x[base + d - 1];
    }
    sink += touched;
    for (int i = 0; i < count; i++) {
      int base = rows[i] * d;
      for (int j = 0; j < d; j++) {
        columns[j][i] = x[base + j];
      }
    }
    size = count;
  }

  private static void check(int count) {
    if (count < 0 || count > SIZE) {
      throw new IllegalArgumentException("block of " + count + " rows; at most " + SIZE);
    }
  }

  /**
   * Computes every distance from the loaded rows to {@code centroids} (row-major, k × d), each
   * row's nearest centre and, in a block made with {@code seconds}, its second-nearest distance.
   */
  void search(double[] centroids) {
    distances(centroids);
    choose(size, seconds);
  }

  /**
   * {@link #search} without second-nearest distances, even in a block made with {@code seconds}:
   * for rows whose bounds will not be kept. {@link #bounds} and {@link #secondDistance} are not
   * defined after it.
   */
  void searchNearest(double[] centroids) {
    distances(centroids);
    choose(size, false);
  }

  private void distances(double[] centroids) {
    int m = size;
    for (int c = 0; c < k; c++) {
      double[] acc = distances[c];
      int at = c * d;
      int j;
      if (d >= 4) {
        first4(acc, columns, 0, centroids, at, m);
        j = 4;
      } else {
        first(acc, columns[0], centroids[at], m);
        j = 1;
      }
      for (; j + 4 <= d; j += 4) {
        add4(acc, columns, j, centroids, at + j, m);
      }
      if (j + 2 <= d) {
        add2(acc, columns[j], columns[j + 1], centroids[at + j], centroids[at + j + 1], m);
        j += 2;
      }
      if (j < d) {
        add(acc, columns[j], centroids[at + j], m);
      }
    }
  }

  /**
   * {@link #add4} for the first four features: the same loop, but it sets the running sum rather
   * than reading it (a pass over zeros would cost a load per row and centre).
   */
  private static void first4(double[] acc, double[][] columns, int j, double[] centroids,
      int at, int m) {
    double[] x0 = columns[j];
    double[] x1 = columns[j + 1];
    double[] x2 = columns[j + 2];
    double[] x3 = columns[j + 3];
    double c0 = centroids[at];
    double c1 = centroids[at + 1];
    double c2 = centroids[at + 2];
    double c3 = centroids[at + 3];
    for (int i = 0; i < m; i++) {
      double e0 = x0[i] - c0;
      double e1 = x1[i] - c1;
      double e2 = x2[i] - c2;
      double e3 = x3[i] - c3;
      acc[i] = ((e0 * e0 + e1 * e1) + e2 * e2) + e3 * e3;
    }
  }

  private static void add4(double[] acc, double[][] columns, int j, double[] centroids,
      int at, int m) {
    double[] x0 = columns[j];
    double[] x1 = columns[j + 1];
    double[] x2 = columns[j + 2];
    double[] x3 = columns[j + 3];
    double c0 = centroids[at];
    double c1 = centroids[at + 1];
    double c2 = centroids[at + 2];
    double c3 = centroids[at + 3];
    for (int i = 0; i < m; i++) {
      double e0 = x0[i] - c0;
      double e1 = x1[i] - c1;
      double e2 = x2[i] - c2;
      double e3 = x3[i] - c3;
      acc[i] = (((acc[i] + e0 * e0) + e1 * e1) + e2 * e2) + e3 * e3;
    }
  }

  private static void add2(double[] acc, double[] x0, double[] x1, double c0, double c1, int m) {
    for (int i = 0; i < m; i++) {
      double e0 = x0[i] - c0;
      double e1 = x1[i] - c1;
      acc[i] = (acc[i] + e0 * e0) + e1 * e1;
    }
  }

  private static void first(double[] acc, double[] column, double centre, int m) {
    for (int i = 0; i < m; i++) {
      double e = column[i] - centre;
      acc[i] = e * e;
    }
  }

  private static void add(double[] acc, double[] column, double centre, int m) {
    for (int i = 0; i < m; i++) {
      double e = column[i] - centre;
      acc[i] += e * e;
    }
  }

  /**
   * Nearest and second-nearest per row, without branches: for finite distances, {@code min(s,
   * max(n, v))} is the new second-nearest whichever of n and v is smaller, and {@code below} is 1
   * exactly when {@code v < n} (a positive difference scaled past 1, then clamped) and 0
   * otherwise, so {@code choice += below * (c - choice)} moves the choice to c only on a strictly
   * nearer centre, as a scan with {@code <} does.
   */
  private void choose(int m, boolean seconds) {
    double[] near = nearest;
    double[] next = second;
    double[] pick = choice;
    System.arraycopy(distances[0], 0, near, 0, m);
    for (int i = 0; i < m; i++) {
      next[i] = Double.POSITIVE_INFINITY;
      pick[i] = 0;
    }
    for (int c = 1; c < k; c++) {
      double[] dist = distances[c];
      double centre = c;
      if (seconds) {
        for (int i = 0; i < m; i++) {
          double v = dist[i];
          double n = near[i];
          next[i] = Math.min(next[i], Math.max(n, v));
          near[i] = Math.min(n, v);
          double below = Math.min(1.0, Math.max(0.0, n - v) * SCALE * SCALE);
          pick[i] += below * (centre - pick[i]);
        }
      } else {
        for (int i = 0; i < m; i++) {
          double v = dist[i];
          double n = near[i];
          near[i] = Math.min(n, v);
          double below = Math.min(1.0, Math.max(0.0, n - v) * SCALE * SCALE);
          pick[i] += below * (centre - pick[i]);
        }
      }
    }
    for (int i = 0; i < m; i++) {
      // Infinite distances (n - v = inf - inf) or NaNs break the arithmetic: scan those rows.
      if (!(near[i] < Double.POSITIVE_INFINITY) || Double.isNaN(pick[i])) {
        scan(i);
      }
    }
  }

  /** The reference: one row's nearest and second-nearest by a scan in centre order. */
  private void scan(int i) {
    int best = 0;
    double near = distances[0][i];
    double next = Double.POSITIVE_INFINITY;
    for (int c = 1; c < k; c++) {
      double v = distances[c][i];
      if (v < near) {
        next = near;
        near = v;
        best = c;
      } else if (v < next) {
        next = v;
      }
    }
    nearest[i] = near;
    second[i] = next;
    choice[i] = best;
  }

  /**
   * Hamerly's bounds for the block's rows (a block made with {@code seconds}), as {@link Lloyd}
   * keeps them: the distance to the nearest centre less that centre's cumulative move {@code
   * cumMove[c]}, rounded up, and the distance to the second-nearest plus the largest cumulative
   * move {@code cumMaxMove}, rounded down. In vector loops: two square roots and two roundings
   * per row took about 6 ms per million rows on one thread, one row at a time, and take half that
   * here. The casts to {@code float} are left to {@link #storeBounds} or to the caller, as a loop
   * that also casts is not vectorized.
   */
  void bounds(double[] cumMove, double cumMaxMove) {
    int m = size;
    for (int i = 0; i < m; i++) {
      shift[i] = cumMove[(int) choice[i]];
    }
    for (int i = 0; i < m; i++) {
      upperBound[i] = Lloyd.upward(Math.sqrt(nearest[i]) - shift[i]);
    }
    for (int i = 0; i < m; i++) {
      lowerBound[i] = Lloyd.downward(Math.sqrt(second[i]) + cumMaxMove);
    }
  }

  /**
   * Stores the bounds of {@link #bounds} at {@code upper[at..]} and {@code lower[at..]}: for rows
   * loaded by {@link #loadRange} from row {@code at}.
   */
  void storeBounds(float[] upper, float[] lower, int at) {
    int m = size;
    for (int i = 0; i < m; i++) {
      upper[at + i] = (float) upperBound[i];
    }
    for (int i = 0; i < m; i++) {
      lower[at + i] = (float) lowerBound[i];
    }
  }

  /** The block's row i's upper bound from {@link #bounds}, as a {@code float}. */
  float upperBound(int i) {
    return (float) upperBound[i];
  }

  /** The block's row i's lower bound from {@link #bounds}, as a {@code float}. */
  float lowerBound(int i) {
    return (float) lowerBound[i];
  }

  /** The number of rows loaded. */
  int size() {
    return size;
  }

  /** The nearest centre to the block's row i (the first of equally near ones). */
  int nearestCentre(int i) {
    return (int) choice[i];
  }

  /** The squared distance from the block's row i to its nearest centre. */
  double nearestDistance(int i) {
    return nearest[i];
  }

  /**
   * The squared distance from the block's row i to the nearest centre other than its nearest;
   * only for a block made with {@code seconds}.
   */
  double secondDistance(int i) {
    return second[i];
  }

  /** The squared distance from the block's row i to centre c. */
  double distance(int i, int c) {
    return distances[c][i];
  }
}
