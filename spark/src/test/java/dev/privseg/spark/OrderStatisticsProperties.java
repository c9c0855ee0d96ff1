package dev.privseg.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The values exact selection finds are the values at the same positions of each group's values
 * sorted by {@link Double#compare}, bit for bit (signed zeros, infinities, ties, values that
 * share long runs of leading bits), whatever the partitions and however few values are fetched
 * at once.
 */
class OrderStatisticsProperties {

  @Property(tries = 25)
  void theValuesFoundAreTheSortedValuesAtThePositions(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int groups,
      @ForAll @IntRange(min = 0, max = 3_000) int n,
      @ForAll @IntRange(min = 1, max = 6) int partitions,
      @ForAll @IntRange(min = 0, max = 3) int fetch,
      @ForAll @DoubleRange(min = 0, max = 1) double ties) {
    Random random = new Random(seed);
    double[] special = {0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, 1.0, Math.nextUp(1.0), 800.0};
    List<double[]> items = new ArrayList<>(); // (group, value)
    List<List<Double>> byGroup = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      byGroup.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      int g = random.nextInt(groups);
      double v = random.nextDouble() < ties ? special[random.nextInt(special.length)]
          : switch (random.nextInt(3)) {
            case 0 -> random.nextGaussian() * 1e6;
            case 1 -> 1.0 + random.nextInt(1 << 20) * Math.ulp(1.0); // one leading-bit run
            default -> random.nextInt(100);
          };
      items.add(new double[] {g, v});
      byGroup.get(g).add(v);
    }
    long[] sizes = new long[groups];
    long[][] positions = new long[groups][];
    double[][] expected = new double[groups][];
    for (int g = 0; g < groups; g++) {
      double[] sorted = byGroup.get(g).stream().mapToDouble(Double::doubleValue).toArray();
      Arrays.sort(sorted);
      sizes[g] = sorted.length;
      if (sorted.length > 0 && random.nextInt(4) != 0) {
        positions[g] = random.ints(1 + random.nextInt(6), 0, sorted.length)
            .asLongStream().toArray();
        expected[g] = new double[positions[g].length];
        for (int i = 0; i < positions[g].length; i++) {
          expected[g][i] = sorted[(int) positions[g][i]];
        }
      }
    }
    JavaRDD<double[]> data = JavaSparkContext.fromSparkContext(LocalSpark.session()
        .sparkContext()).parallelize(items, partitions);
    int fetchBelow = new int[] {0, 1, 16, OrderStatistics.FETCH_BELOW}[fetch];

    double[][] found = OrderStatistics.select(data, (item, sink) ->
        sink.accept((int) item[0], item[1]), sizes, positions, fetchBelow);

    for (int g = 0; g < groups; g++) {
      if (expected[g] == null) {
        assertThat(found[g]).isNull();
        continue;
      }
      for (int i = 0; i < expected[g].length; i++) {
        assertThat(Double.doubleToRawLongBits(found[g][i])).as("group %s position %s", g,
            positions[g][i]).isEqualTo(Double.doubleToRawLongBits(expected[g][i]));
      }
    }
  }

  @Property
  void keysSortAsDoubleCompareDoes(@ForAll double a, @ForAll double b) {
    assertThat(Long.signum(Long.compareUnsigned(OrderStatistics.key(a), OrderStatistics.key(b))))
        .isEqualTo(Integer.signum(Double.compare(a, b)));
    assertThat(Double.doubleToLongBits(OrderStatistics.value(OrderStatistics.key(a))))
        .isEqualTo(Double.doubleToLongBits(a));
  }
}
