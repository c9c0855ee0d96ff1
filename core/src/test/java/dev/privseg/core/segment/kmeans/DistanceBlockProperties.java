package dev.privseg.core.segment.kmeans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The vectorizable block search gives, bit for bit, what a scan in centre order over {@link
 * Distances#squared} gives: the first of the nearest centres, its distance, and the second
 * distance (for a block that is asked for it); on ties, on zero distances, and on distances that
 * overflow to infinity.
 */
class DistanceBlockProperties {

  @Property(tries = 300)
  void blockSearchIsExactlyTheScalarScan(@ForAll @IntRange(min = 0, max = 256) int rows,
      @ForAll @IntRange(min = 1, max = 12) int d, @ForAll @IntRange(min = 1, max = 10) int k,
      @ForAll @IntRange(min = 0, max = 3) int shape, @ForAll boolean seconds,
      @ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int n = rows + 7;
    double[] x = values(n * d, shape, random);
    double[] centroids = values(k * d, shape, random);
    int[] picked = new int[rows];
    for (int i = 0; i < rows; i++) {
      picked[i] = random.nextInt(n);
    }
    DistanceBlock gathered = new DistanceBlock(k, d, seconds);
    gathered.load(x, picked, rows);
    gathered.search(centroids);
    int from = random.nextInt(n - rows + 1);
    DistanceBlock range = new DistanceBlock(k, d, seconds);
    range.loadRange(x, from, rows);
    range.search(centroids);

    assertThat(gathered.size()).isEqualTo(rows);
    for (int i = 0; i < rows; i++) {
      assertMatchesScan(gathered, i, x, picked[i] * d, centroids, k, d, seconds);
      assertMatchesScan(range, i, x, (from + i) * d, centroids, k, d, seconds);
    }
  }

  @Property(tries = 200)
  void blockBoundsAreTheScalarRoundingOfEachRow(@ForAll @IntRange(min = 0, max = 256) int rows,
      @ForAll @IntRange(min = 1, max = 12) int d, @ForAll @IntRange(min = 1, max = 10) int k,
      @ForAll @IntRange(min = 0, max = 3) int shape, @ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] x = values(rows * d, shape, random);
    double[] centroids = values(k * d, shape, random);
    double[] cumMove = new double[k];
    for (int c = 0; c < k; c++) {
      cumMove[c] = random.nextDouble() * 2;
    }
    double cumMaxMove = 2 + random.nextDouble();
    DistanceBlock block = new DistanceBlock(k, d, true);
    block.loadRange(x, 0, rows);
    block.search(centroids);
    block.bounds(cumMove, cumMaxMove);
    float[] upper = new float[rows + 3];
    float[] lower = new float[rows + 3];
    block.storeBounds(upper, lower, 3);

    for (int i = 0; i < rows; i++) {
      float up = Lloyd.up(Math.sqrt(block.nearestDistance(i)) - cumMove[block.nearestCentre(i)]);
      float down = Lloyd.downNonNegative(Math.sqrt(block.secondDistance(i)) + cumMaxMove);
      assertThat(block.upperBound(i)).isEqualTo(up);
      assertThat(block.lowerBound(i)).isEqualTo(down);
      assertThat(upper[3 + i]).isEqualTo(up);
      assertThat(lower[3 + i]).isEqualTo(down);
    }
  }

  @Test
  void rowsWhoseDistancesOverflowAreSettledByTheScan() {
    double[] x = {1e200, -1e200, 0, 3};
    double[] centroids = {-1e200, 3e200, 1e200, 5};
    DistanceBlock block = new DistanceBlock(4, 1, true);
    block.loadRange(x, 0, 4);
    block.search(centroids);

    // Row 0 (1e200) is infinitely far from centres 0, 1 and 3, and on centre 2.
    assertThat(block.nearestCentre(0)).isEqualTo(2);
    assertThat(block.nearestDistance(0)).isZero();
    assertThat(block.secondDistance(0)).isEqualTo(Double.POSITIVE_INFINITY);
    // Row 2 (0) is infinitely far from all but the last.
    assertThat(block.nearestCentre(2)).isEqualTo(3);
    for (int i = 0; i < 4; i++) {
      assertMatchesScan(block, i, x, i, centroids, 4, 1, true);
    }
  }

  @Test
  void aBlockHoldsAtMostItsSize() {
    DistanceBlock block = new DistanceBlock(2, 1, true);
    assertThatThrownBy(() -> block.loadRange(new double[300], 0, DistanceBlock.SIZE + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most " + DistanceBlock.SIZE);
  }

  private static void assertMatchesScan(DistanceBlock block, int i, double[] x, int at,
      double[] centroids, int k, int d, boolean seconds) {
    int best = 0;
    double nearest = Distances.squared(x, at, centroids, 0, d);
    double second = Double.POSITIVE_INFINITY;
    for (int c = 0; c < k; c++) {
      double v = Distances.squared(x, at, centroids, c * d, d);
      assertThat(block.distance(i, c)).isEqualTo(v);
      if (c == 0) {
        continue;
      }
      if (v < nearest) {
        second = nearest;
        nearest = v;
        best = c;
      } else if (v < second) {
        second = v;
      }
    }
    assertThat(block.nearestCentre(i)).as("nearest centre of row %d", i).isEqualTo(best);
    assertThat(block.nearestDistance(i)).isEqualTo(nearest);
    if (seconds) {
      assertThat(block.secondDistance(i)).isEqualTo(second);
    }
  }

  /**
   * Values of one shape: spread, a few levels (many ties), tiny (squared distances subnormal or
   * zero), or huge (overflowing).
   */
  private static double[] values(int count, int shape, SplittableRandom random) {
    double[] v = new double[count];
    for (int i = 0; i < count; i++) {
      v[i] = switch (shape) {
        case 0 -> random.nextGaussian() * 10;
        case 1 -> random.nextInt(3);
        case 2 -> random.nextInt(4) * (random.nextBoolean() ? 1e-162 : 3e-160); // subnormal squares
        default -> random.nextBoolean() ? random.nextDouble() * 1e200 : random.nextDouble();
      };
    }
    return v;
  }
}
