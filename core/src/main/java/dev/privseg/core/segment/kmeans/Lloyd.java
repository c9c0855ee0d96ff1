package dev.privseg.core.segment.kmeans;

import dev.privseg.core.internal.Parallel;
import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentationResult;
import java.util.Arrays;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One k-means fit: Lloyd's algorithm from k-means++ seeds. Single use; not thread-safe itself, but
 * fans work out to the executor in fixed chunks whose results are combined in chunk order, so the
 * result does not depend on the number of threads.
 *
 * <p>What keeps an iteration cheap:
 * <ul>
 *   <li>Seeding reads the matrix about once rather than once per centre (see
 *       {@link KMeansPlusPlus}); the first assignment is one full search.
 *   <li>Centre sums are kept up to date from the rows that change segment, so an iteration reads
 *       only the rows it must reassign, not the whole matrix.
 *   <li>Inertia is carried by Lloyd's own accounting instead of a pass over the rows: moving a
 *       centre to its members' mean lowers their squared distances by exactly {@code size *
 *       move^2}, and a row that changes centre lowers its own by the difference of the two
 *       distances, which the search computed. The inertia reported is exact: summed by the last
 *       search in every chunk where it searched every row (as a plain fit's always do), and in
 *       one final pass over the other chunks.
 *   <li>With acceleration, Hamerly's bounds (2010): per row an upper bound on the distance to
 *       its own centre and a lower bound on the distance to every other centre, both kept
 *       relative to the centres' cumulative moves so that no row is touched when centres move.
 *       A row whose bounds prove its centre still nearest costs three reads; the matrix row is
 *       read only when the bounds cannot decide, and then it is searched outright (which also
 *       makes its bounds exact again) rather than first retested on its own distance.
 *   <li>Those rows are scattered through the matrix, so reading them one after another would
 *       wait on memory for each. Rows are taken in batches: the bounds of the whole batch are
 *       checked first, then the rows that need reading are copied into a {@link DistanceBlock}
 *       (independent loads, whose cache misses overlap) and searched together, in SIMD
 *       instructions, then settled in row order, so every sum is the same as before. Where most
 *       rows of a chunk's first batch need a search (early iterations, data without clear
 *       clusters), the rest of the chunk is searched in full, in order, without the test.
 *   <li>Bounds are kept only where they would pay. Keeping them costs about a quarter of a full
 *       search (second-nearest distances, square roots, stores), and a row searched through them
 *       costs about twice a row searched in order, so they pay only when the next iteration
 *       would leave most rows settled. Each chunk decides on its first batch, after searching
 *       it: if fewer than four in five of its rows would be settled next time, were the centres
 *       to move as they just did, the chunk drops its bounds and is searched in full, in order,
 *       until it decides otherwise. On data without clear clusters that is the first iterations
 *       or all of them; on grouped data, from the second or third iteration on, bounds are kept
 *       and settle nearly every row.
 * </ul>
 * Bounds decide only with a margin far above rounding error, so the accelerated fit makes exactly
 * the choices of the plain one: same labels, centres, inertia and iteration count.
 */
final class Lloyd implements LloydRows {
  /** Rows per chunk: fixed, so chunk order (and thus every sum) is machine-independent. */
  static final int CHUNK = 8192;
  /** Rows whose bounds are checked before the candidates among them are searched together. */
  private static final int BATCH = DistanceBlock.SIZE;
  /** Relative margin by which a bound must decide, far above the rounding of its terms. */
  private static final double SLACK = 1e-9;

  private final double[] x;
  private final int n;
  private final int d;
  private final int k;
  private final long seed;
  private final int maxIterations;
  private final double tolerance;
  private final SegmentContext context;
  private final int chunks;
  private final boolean accelerated;
  private final int[] labels;
  /**
   * Per row: an upper bound on the distance to its own centre, minus that centre's cumMove.
   * Bounds are stored as {@code float}, rounded outwards (this one up, the lower one down), so
   * they stay bounds at half the memory of {@code double}s. Allocated after seeding, whose
   * weights are garbage by then, so a fit never holds both.
   */
  private float[] upper;
  /** Per row: a lower bound on the distance to every other centre, plus cumMaxMove. */
  private float[] lower;
  /** Per centre: the sum of its moves so far. */
  private final double[] cumMove;
  /** The sum over iterations of the largest move of any centre. */
  private double cumMaxMove;
  /** Per centre: its move in the latest iteration, to predict the next one's. */
  private final double[] lastMove;
  /** The largest of {@code lastMove}. */
  private double lastMaxMove;
  /**
   * Per chunk: whether every row of it has bounds. Where bounds would not settle most rows in
   * the next iteration, keeping them costs more than it saves, and a chunk goes without.
   */
  private final boolean[] bounded;
  /** Per centre: half the distance to the nearest other centre. */
  private final double[] half;
  private final Partial[] partials;
  /** Rows searched so far, over all assignments: what the bounds saved, for tests. */
  private long rowsSearched;
  /** Search scratch space, one per thread at work: taken for a chunk and given back after it. */
  private final Queue<DistanceBlock> blocks = new ConcurrentLinkedQueue<>();

  Lloyd(FeatureMatrix m, int k, long seed, int maxIterations, double tolerance,
      boolean accelerated, SegmentContext context) {
    this.x = m.data();
    this.n = m.rows();
    this.d = m.cols();
    this.k = k;
    this.seed = seed;
    this.maxIterations = maxIterations;
    this.tolerance = tolerance;
    this.context = context;
    this.chunks = (n + CHUNK - 1) / CHUNK;
    this.accelerated = accelerated;
    this.labels = new int[n];
    this.cumMove = new double[k];
    this.lastMove = new double[k];
    this.bounded = new boolean[chunks];
    this.half = new double[k];
    this.partials = new Partial[chunks];
    for (int c = 0; c < chunks; c++) {
      partials[c] = new Partial(k, d);
    }
  }

  SegmentationResult run() {
    LloydFit.Outcome fit = new LloydFit(this, n, d, k, seed, maxIterations, tolerance, context)
        .run();
    rowsSearched = fit.rowsSearched();
    return new SegmentationResult(labels, k, fit.centroids(), fit.inertia(), fit.iterations(),
        fit.converged());
  }

  /** Rows searched by {@link #run}, over all its assignments (n per assignment in a plain fit). */
  long rowsSearched() {
    return rowsSearched;
  }

  @Override
  public SeedRows seedRows() {
    return KMeansPlusPlus.arrayRows(x, n, d, context);
  }

  @Override
  public double[] row(int r) {
    return Arrays.copyOfRange(x, r * d, r * d + d);
  }

  /**
   * Assigns every row to its nearest seed, with its sums, sizes and inertia (the searched rows'
   * {@code nearestSum}). No bounds yet: how far the centres move next, from the seeds to their
   * members' means, is not known, and on both data without clear clusters and data with more
   * groups than centres that first move leaves nearly every row to be searched again (measured:
   * 99.9 % of 1M rows in both), so bounds kept here cost a tenth of the search and saved nothing.
   */
  @Override
  public Partial[] firstAssignment(double[] centroids) {
    if (accelerated) {
      upper = new float[n];
      lower = new float[n];
    }
    Parallel.forEachChunk(context.executor(), context.parallelism(), chunks, chunk -> {
      DistanceBlock block = block();
      firstAssignRange(x, d, labels, chunk * CHUNK, Math.min(n, chunk * CHUNK + CHUNK),
          centroids, block, partials[chunk].reset());
      blocks.offer(block);
    });
    return partials;
  }

  /**
   * Assigns rows {@code from..to} of {@code x} (row-major, {@code d} features; their labels at
   * the same indexes of {@code labels}) to their nearest of {@code centroids}, adding them to
   * {@code p} in row order.
   */
  static void firstAssignRange(double[] x, int d, int[] labels, int from, int to,
      double[] centroids, DistanceBlock block, Partial p) {
    for (int start = from; start < to; start += BATCH) {
      int count = Math.min(to - start, BATCH);
      block.loadRange(x, start, count);
      block.searchNearest(centroids);
      for (int i = 0; i < count; i++) {
        int r = start + i;
        int best = block.nearestCentre(i);
        double nearest = block.nearestDistance(i);
        labels[r] = best;
        p.add(best, x, r * d, 1);
        p.searched(nearest);
      }
    }
  }

  /** This thread's search scratch space, to be given back with {@code blocks.offer}. */
  private DistanceBlock block() {
    DistanceBlock block = blocks.poll();
    return block != null ? block : new DistanceBlock(k, d, accelerated);
  }

  @Override
  public int farthestRow(double[] centroids, double[] next, int empty, long[] counts) {
    return (int) farthestInRange(x, d, labels, 0, n, centroids, next, empty, counts)[1];
  }

  /**
   * The row of {@code from..to} farthest from its own centre (the first on a tie) that does not
   * already restart an earlier empty cluster of {@code next}, as {@code {distance, row}}; the
   * distance is -1 (and the row {@code from}) if there is none.
   */
  static double[] farthestInRange(double[] x, int d, int[] labels, int from, int to,
      double[] centroids, double[] next, int empty, long[] counts) {
    double best = -1;
    int row = from;
    for (int r = from; r < to; r++) {
      double dist = Distances.squared(x, r * d, centroids, labels[r] * d, d);
      if (dist > best && !restartsEarlier(x, d, next, empty, counts, r)) {
        best = dist;
        row = r;
      }
    }
    return new double[] {best, row};
  }

  private static boolean restartsEarlier(double[] x, int d, double[] next, int empty,
      long[] counts, int row) {
    for (int c = 0; c < empty; c++) {
      if (counts[c] == 0 && Arrays.equals(next, c * d, (c + 1) * d, x, row * d, (row + 1) * d)) {
        return true;
      }
    }
    return false;
  }

  /** Records how far each centre moved, for the bounds. */
  private void centresMoved(double[] after, double[] squaredMoves) {
    double largest = 0;
    for (int c = 0; c < k; c++) {
      // Rounding margin: the move is an upper bound only up to a few ulps.
      double move = Math.sqrt(squaredMoves[c]) * (1 + 1e-12);
      cumMove[c] += move;
      lastMove[c] = move;
      largest = Math.max(largest, move);
    }
    cumMaxMove += largest;
    lastMaxMove = largest;
    if (accelerated) {
      halfDistances(after);
    }
  }

  private void halfDistances(double[] centroids) {
    for (int a = 0; a < k; a++) {
      double nearest = Double.POSITIVE_INFINITY;
      for (int b = 0; b < k; b++) {
        if (a != b) {
          nearest = Math.min(nearest,
              Distances.squared(centroids, a * d, centroids, b * d, d));
        }
      }
      half[a] = Math.sqrt(nearest) / 2;
    }
  }

  /** Assigns every row to its nearest centre; the chunks' parts, in chunk order. */
  @Override
  public Partial[] assign(double[] centroids, double[] squaredMoves) {
    centresMoved(centroids, squaredMoves);
    Parallel.forEachChunk(context.executor(), context.parallelism(), chunks, c -> {
      DistanceBlock block = block();
      assignChunk(c, centroids, block, partials[c].reset());
      blocks.offer(block);
    });
    return partials;
  }

  /**
   * Assigns a chunk's rows. Each path is a method of its own, so that the JIT compiles each
   * from its own profile: a path first taken late in a fit (bounds kept from iteration 7 on)
   * then costs no recompilation of the others.
   */
  private void assignChunk(int chunk, double[] centroids, DistanceBlock block, Partial p) {
    int from = chunk * CHUNK;
    int to = Math.min(n, from + CHUNK);
    int first = Math.min(to, from + BATCH);
    if (!accelerated) {
      searchRange(from, to, centroids, block, p, false);
      return;
    }
    boolean keep;
    if (bounded[chunk]) {
      int count = testBatch(from, first, centroids, block, p);
      if (2 * count <= first - from) {
        // The bounds settled most of the first batch, and so, most likely, will they most of
        // the rest.
        for (int start = first; start < to; start += BATCH) {
          testBatch(start, Math.min(to, start + BATCH), centroids, block, p);
        }
        return;
      }
      // Most rows of the first batch needed a search, and so, most likely, do most of the rest
      // (early iterations, and data without clear clusters): searching all of them in order
      // costs less than testing and gathering them. The rows the test settled count as settled
      // again in deciding whether to keep bounds.
      keep = boundsWouldPay(block, first - from - count, first - from);
    } else {
      block.loadRange(x, from, first - from);
      block.search(centroids);
      keep = boundsWouldPay(block, 0, first - from);
      settleRange(from, block, p, keep);
    }
    searchRange(first, to, centroids, block, p, keep);
    bounded[chunk] = keep;
  }

  /**
   * Searches rows {@code from..to} in full, in order, and settles them; with {@code keep},
   * leaves their bounds behind.
   */
  private void searchRange(int from, int to, double[] centroids, DistanceBlock block, Partial p,
      boolean keep) {
    for (int start = from; start < to; start += BATCH) {
      block.loadRange(x, start, Math.min(to, start + BATCH) - start);
      if (keep) {
        block.search(centroids);
      } else {
        block.searchNearest(centroids);
      }
      settleRange(start, block, p, keep);
    }
  }

  /**
   * Settles the block's rows, loaded from row {@code start} on, in order; with {@code keep},
   * stores their bounds (the block then searched with second-nearest distances).
   */
  private void settleRange(int start, DistanceBlock block, Partial p, boolean keep) {
    for (int i = 0, m = block.size(); i < m; i++) {
      settle(start + i, block, i, p);
    }
    if (keep) {
      block.bounds(cumMove, cumMaxMove);
      block.storeBounds(upper, lower, start);
    }
  }

  /**
   * Hamerly's test over rows {@code start..end}: the rows it cannot settle are gathered into the
   * block, searched and settled, and their bounds made exact again. Returns how many there were.
   */
  private int testBatch(int start, int end, double[] centroids, DistanceBlock block, Partial p) {
    int[] rows = p.candidates;
    int count = 0;
    for (int r = start; r < end; r++) {
      int own = labels[r];
      double moved = cumMove[own];
      double gap = half[own];
      double other = lower[r] - cumMaxMove;
      // Not Math.max, which C2 compiles here to branches on the operands' order, and that
      // order is a coin toss from row to row (the whole test took three times as long). A
      // NaN bound picks NaN, which decides nothing, as Math.max's would.
      double bound = gap >= other ? gap : other;
      double slack = SLACK * (bound + moved + cumMaxMove);
      rows[count] = r;
      count += upper[r] + moved + slack < bound ? 0 : 1;
    }
    // Those rows are searched outright, which also leaves exact bounds behind. Hamerly's
    // tightening step (compute the own distance, retest, search only if still unsettled) was
    // dropped: the lone distance is a chain of dependent adds followed by a hard-to-predict
    // branch, and cost more than the search it sometimes saved (1M uniform rows, 100
    // iterations: 2.13 against 2.55 s). Loading them into the block reads the scattered rows
    // with independent loads, so their cache misses overlap; they are settled in row order, so
    // every sum is the same as in a plain fit.
    if (count > 0) {
      block.load(x, rows, count);
      block.search(centroids);
      block.bounds(cumMove, cumMaxMove);
      for (int i = 0; i < count; i++) {
        settle(rows[i], block, i, p);
        upper[rows[i]] = block.upperBound(i);
        lower[rows[i]] = block.lowerBound(i);
      }
    }
    return count;
  }

  /**
   * Whether bounds kept now would settle at least four in five of a batch of {@code size} rows
   * in the next iteration, were the centres to move then as they did in this one: {@code
   * settled} rows of the batch count as settled, and each of the block's rows (searched with
   * second-nearest distances) if its nearest centre, moved as far again, would still be nearer
   * than the second-nearest moved by the largest move, or than half the distance to any other
   * centre. The estimate runs high, as rows not searched carry older, looser bounds (on data
   * without clusters, three in four predicted came out as 55-60 %), and a row searched through
   * the bounds costs about twice one searched in order (one thread, 1M rows: 38 against 18 ns),
   * hence the high bar. A wrong guess costs time, never a result.
   */
  private boolean boundsWouldPay(DistanceBlock block, int settled, int size) {
    int pass = settled;
    for (int i = 0, m = block.size(); i < m; i++) {
      int own = block.nearestCentre(i);
      double near = Math.sqrt(block.nearestDistance(i)) + lastMove[own];
      double far = Math.sqrt(block.secondDistance(i)) - lastMaxMove;
      pass += near < far || near < half[own] ? 1 : 0;
    }
    return 5 * pass >= 4 * size;
  }

  /**
   * Moves row {@code r}, the block's row {@code i}, to its nearest centre, recording the change
   * in {@code p}. (Its bounds are the caller's to reset, from {@link DistanceBlock#bounds}.)
   */
  private void settle(int r, DistanceBlock block, int i, Partial p) {
    settle(x, d, labels, r, block, i, p);
  }

  /**
   * Moves row {@code r} of {@code x}, the block's row {@code i}, to its nearest centre, recording
   * the change in {@code p}.
   */
  static void settle(double[] x, int d, int[] labels, int r, DistanceBlock block, int i,
      Partial p) {
    int own = labels[r];
    int best = block.nearestCentre(i);
    double nearest = block.nearestDistance(i);
    p.searched(nearest);
    if (best != own) {
      labels[r] = best;
      p.changed++;
      p.decrease += block.distance(i, own) - nearest;
      p.add(own, x, r * d, -1);
      p.add(best, x, r * d, 1);
    }
  }

  /** Twice the largest relative rounding error of a {@code double} to {@code float} cast. */
  private static final double OUTWARD = 0x1p-22;

  /**
   * A {@code float} at least {@code v}, and at most about {@code 2^-22} (relative) or {@code
   * 2^-149} (absolute) above it. Without branches: a data-dependent branch here (round, then
   * step up a float if the cast went down) was mispredicted about every other row and cost a
   * fifth of a fit's time on data without clear clusters.
   */
  static float up(double v) {
    return (float) upward(v);
  }

  /**
   * {@link #up} before its cast to {@code float}, for loops that compute bounds in one pass and
   * cast them in another (a loop that does both is not vectorized).
   */
  static double upward(double v) {
    // Moved out by more than half a float ulp, so the nearest float cannot fall below v; the
    // clamp keeps v = -infinity from turning into -inf + inf = NaN.
    double w = Math.max(-Float.MAX_VALUE, v);
    return w + Math.abs(w) * OUTWARD + Float.MIN_VALUE;
  }

  /** A {@code float} at most {@code v >= 0}, without branches, as {@link #up} is at least it. */
  static float downNonNegative(double v) {
    return (float) downward(v);
  }

  /** {@link #downNonNegative} before its cast to {@code float}, as {@link #upward}. */
  static double downward(double v) {
    return Math.min(Float.MAX_VALUE, v * (1 - OUTWARD) - Float.MIN_VALUE);
  }

  /**
   * The sum of squared distances from every row to the centre it is assigned to, after an
   * assignment to {@code centroids}: summed per chunk in row order, then over chunks in order,
   * as a search of every row sums them. A chunk whose every row that assignment searched has its
   * sum already, in its partial's {@code nearestSum}; only the others are read again.
   */
  @Override
  public double exactInertia(double[] centroids) {
    Parallel.forEachChunk(context.executor(), context.parallelism(), chunks, chunk -> {
      Partial p = partials[chunk];
      int from = chunk * CHUNK;
      int to = Math.min(n, from + CHUNK);
      if (p.searched < to - from) {
        double sum = 0;
        for (int r = from; r < to; r++) {
          sum += Distances.squared(x, r * d, centroids, labels[r] * d, d);
        }
        p.nearestSum = sum;
      }
    });
    double total = 0;
    for (Partial p : partials) {
      total += p.nearestSum;
    }
    return total;
  }
}
