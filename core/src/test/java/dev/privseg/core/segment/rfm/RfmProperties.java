package dev.privseg.core.segment.rfm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.dataset.LongColumn;
import dev.privseg.core.dataset.NumericColumn;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.segment.FeatureMatrix;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * RFM's fast paths give exactly what the obvious code gives: quintiles from a sort of the rows,
 * and per-customer totals from a map of decoded ids.
 */
class RfmProperties {

  @Property(tries = 300)
  void quintilesAreThoseOfSortingTheRows(@ForAll @IntRange(min = 1, max = 400) int n,
      @ForAll @IntRange(min = 1, max = 50) int levels, @ForAll boolean lowerIsBetter,
      @ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] x = new double[n * 2];
    for (int i = 0; i < n; i++) {
      x[2 * i] = random.nextDouble();
      // Few levels: ties across quintile boundaries; signed zeros, which == treats as equal.
      int level = random.nextInt(levels) - levels / 2;
      x[2 * i + 1] = level == 0 && random.nextBoolean() ? -0.0 : level * 0.5;
    }
    FeatureMatrix m = FeatureMatrix.of(x, n, List.of("spread", "ties"));

    for (int col = 0; col < 2; col++) {
      assertThat(Rfm.quintiles(m, col, lowerIsBetter))
          .isEqualTo(quintilesBySorting(x, n, 2, col, lowerIsBetter));
    }
  }

  /** The reference: sort the rows, give each run of equal values the quintile of its first. */
  private static int[] quintilesBySorting(double[] x, int n, int d, int col,
      boolean lowerIsBetter) {
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(x[a * d + col], x[b * d + col]));
    int[] score = new int[n];
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && x[order[j + 1] * d + col] == x[order[i] * d + col]) {
        j++;
      }
      int quintile = 1 + (int) ((long) i * 5 / n);
      for (int t = i; t <= j; t++) {
        score[order[t]] = lowerIsBetter ? 6 - quintile : quintile;
      }
      i = j + 1;
    }
    return score;
  }

  @Property(tries = 200)
  void aggregationIsThatOfAMapOfIds(@ForAll @IntRange(min = 0, max = 3000) int rows,
      @ForAll @IntRange(min = 1, max = 2000) int customers, @ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Instant asOf = RfmTest.AS_OF;
    DatasetBuilder b = Dataset.builder(RfmTest.TX);
    List<Object[]> kept = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      // Ids of different lengths, some not ASCII; some rows missing a value or after asOf.
      String id = (random.nextBoolean() ? "C" : "Käufer-") + random.nextInt(customers);
      Instant at = asOf.minusSeconds(86_400L * (random.nextInt(400) - 5));
      double amount = random.nextInt(100_000) / 100.0;
      boolean amountMissing = random.nextInt(20) == 0;
      boolean timeMissing = random.nextInt(20) == 0;
      b.setText(0, id);
      if (timeMissing) {
        b.setNull(1);
      } else {
        b.setObject(1, at);
      }
      if (amountMissing) {
        b.setNull(2);
      } else {
        b.setNumber(2, amount);
      }
      b.endRow();
      if (!timeMissing && !amountMissing && !at.isAfter(asOf)) {
        kept.add(new Object[] {id, at.toEpochMilli(), amount});
      }
    }

    Dataset rfm = RfmAggregation.aggregate(b.build(), "customer", "at", "amount", asOf);

    Map<String, long[]> lastAndCount = new LinkedHashMap<>();
    Map<String, Double> totals = new LinkedHashMap<>();
    for (Object[] row : kept) {
      long[] lc = lastAndCount.computeIfAbsent((String) row[0],
          k -> new long[] {Long.MIN_VALUE, 0});
      lc[0] = Math.max(lc[0], (long) row[1]);
      lc[1]++;
      totals.merge((String) row[0], (double) row[2], Double::sum);
    }
    assertThat(rfm.rowCount()).isEqualTo(lastAndCount.size());
    int i = 0;
    for (Map.Entry<String, long[]> e : lastAndCount.entrySet()) {
      assertThat(rfm.column("subject_id", StringColumn.class).get(i)).isEqualTo(e.getKey());
      assertThat(rfm.column("recency_days", LongColumn.class).get(i))
          .isEqualTo(Math.floorDiv(asOf.toEpochMilli() - e.getValue()[0], 86_400_000L));
      assertThat(rfm.column("frequency", LongColumn.class).get(i)).isEqualTo(e.getValue()[1]);
      assertThat(rfm.column("monetary", NumericColumn.class).get(i))
          .isEqualTo(totals.get(e.getKey()));
      i++;
    }
  }
}
