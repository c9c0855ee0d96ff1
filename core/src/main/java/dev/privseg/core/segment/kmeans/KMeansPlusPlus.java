package dev.privseg.core.segment.kmeans;

import dev.privseg.core.internal.Parallel;
import dev.privseg.core.segment.SegmentContext;
import java.util.SplittableRandom;

/**
 * k-means++ seeding (Arthur &amp; Vassilvitskii 2007): D^2-weighted sampling of centres. The
 * distance updates run in parallel chunks; the sampling first picks a chunk by its total and then
 * scans only that chunk, in a fixed order, so the chosen centres do not depend on the number of
 * threads.
 *
 * <p>Seeding finds every row's nearest centre, which is all a first Lloyd assignment needs:
 * {@link #seed(double[], int, int, int, SplittableRandom, SegmentContext, int[], double[])}
 * hands that assignment out instead of throwing it away. With labels it also skips,
 * by the triangle inequality, the rows a new centre provably cannot win, so on clustered data
 * most sweeps read only the labels and distances, not the matrix; the centres chosen are the
 * same either way.
 */
final class KMeansPlusPlus {
  private KMeansPlusPlus() {}

  /** The seeded centres (row-major, {@code k * d}). */
  static double[] seed(double[] x, int n, int d, int k, SplittableRandom random,
      SegmentContext context) {
    return seed(x, n, d, k, random, context, null, new double[n], null);
  }

  /** Work on one chunk of rows ({@link Lloyd#CHUNK} each), by its number. */
  @FunctionalInterface
  interface ChunkWork {
    void accept(int chunk);
  }

  /**
   * The seeded centres (row-major, {@code k * d}), and the assignment of every row to its nearest
   * one: {@code labels[r]} (the first such centre on a tie, as a full search finds it) and
   * {@code nearest[r]}, its squared distance. {@code labels} may be null when only the centres
   * are wanted, and then every distance is computed; {@code nearest} has {@code n} elements and
   * is overwritten. {@code finished}, if not null, is given each chunk as soon as the last sweep
   * has settled its rows, on the thread that swept it, while those rows are still in its cache:
   * what a first Lloyd step needs from them is then not read from memory a second time.
   */
  static double[] seed(double[] x, int n, int d, int k, SplittableRandom random,
      SegmentContext context, int[] labels, double[] nearest, ChunkWork finished) {
    double[] centroids = new double[k * d];
    java.util.Arrays.fill(nearest, 0, n, Double.POSITIVE_INFINITY);
    int chunks = (n + Lloyd.CHUNK - 1) / Lloyd.CHUNK;
    double[] chunkTotals = new double[chunks];
    int chosen = random.nextInt(n);
    for (int c = 0; c < k; c++) {
      if (c > 0) {
        chosen = sample(nearest, n, chunkTotals, random);
      }
      System.arraycopy(x, chosen * d, centroids, c * d, d);
      final int centre = c;
      double[] apart = separations(centroids, c, d);
      Parallel.forEachChunk(context.executor(), context.parallelism(), chunks, chunk -> {
        int from = chunk * Lloyd.CHUNK;
        int to = Math.min(n, from + Lloyd.CHUNK);
        double total = 0;
        for (int r = from; r < to; r++) {
          double near = nearest[r];
          if (labels != null && centre > 0) {
            // Triangle inequality (as in Elkan 2003): a new centre at least twice as far from
            // the row's centre as the row is cannot be nearer, so the row is not read. The
            // margin keeps rounding from ever deciding; D^2 weights and labels stay exact.
            double between = apart[labels[r]];
            if (between > 4 * near * (1 + 1e-9)) {
              total += near;
              continue;
            }
          }
          // Without branches: whether the new centre is nearer is a coin toss in early sweeps,
          // and a mispredicted branch also throws away the next rows' overlapping work.
          double dist = Distances.squared(x, r * d, centroids, centre * d, d);
          if (labels != null) {
            labels[r] = dist < near ? centre : labels[r];
          }
          near = Math.min(near, dist);
          nearest[r] = near;
          total += near;
        }
        chunkTotals[chunk] = total;
        if (finished != null && centre == k - 1) {
          finished.accept(chunk);
        }
      });
      context.checkCancelled();
    }
    return centroids;
  }

  /** Squared distances from centre {@code c} to each earlier centre. */
  private static double[] separations(double[] centroids, int c, int d) {
    double[] apart = new double[Math.max(c, 1)];
    for (int a = 0; a < c; a++) {
      apart[a] = Distances.squared(centroids, c * d, centroids, a * d, d);
    }
    return apart;
  }

  /**
   * Draws a row with probability proportional to {@code nearest[row]}: a chunk by its total, then
   * a row within it. Both steps scan in a fixed order, so the draw is machine-independent.
   */
  private static int sample(double[] nearest, int n, double[] chunkTotals,
      SplittableRandom random) {
    double total = 0;
    for (double t : chunkTotals) {
      total += t;
    }
    if (!(total > 0)) {
      return random.nextInt(n); // every row coincides with a chosen centre
    }
    double target = random.nextDouble() * total;
    int chunk = -1;
    double before = 0;
    for (int c = 0; c < chunkTotals.length; c++) {
      if (chunkTotals[c] > 0) {
        chunk = c; // only a chunk with weight can be drawn, even when rounding overshoots
        if (before + chunkTotals[c] > target) {
          break;
        }
        before += chunkTotals[c];
      }
    }
    int from = chunk * Lloyd.CHUNK;
    int to = Math.min(n, from + Lloyd.CHUNK);
    double within = target - before;
    double cumulative = 0;
    int last = from;
    for (int r = from; r < to; r++) {
      if (nearest[r] > 0) {
        last = r;
        cumulative += nearest[r];
        if (cumulative > within) {
          return r;
        }
      }
    }
    return last; // rounding left the target just past the chunk's own sum
  }
}
