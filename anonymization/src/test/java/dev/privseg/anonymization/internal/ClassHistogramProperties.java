package dev.privseg.anonymization.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * What a class's sensitive values measure depends on its counts alone, to the last bit, not on
 * the order its rows were counted in: an engine that counts a class's rows elsewhere, in
 * another order, makes the same decisions.
 */
class ClassHistogramProperties {

  @Property(tries = 300)
  void measuresDoNotDependOnTheOrderRowsAreCounted(
      @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 40) Integer> counts,
      @ForAll boolean ordered, @ForAll long seed) {
    int m = counts.size() + 3;
    List<String> categories = new ArrayList<>();
    long[] table = new long[m];
    for (int c = 0; c < m; c++) {
      categories.add("v" + c);
      table[c] = 1 + c * 7L % 11;
    }
    SensitiveCodes codes = SensitiveCodes.of("s", categories, ordered ? numbers(m) : null, false,
        List.of()).codes().withShares(table, (int) java.util.Arrays.stream(table).sum());
    List<Integer> rows = new ArrayList<>();
    for (int c = 0; c < counts.size(); c++) {
      for (int i = 0; i < counts.get(c); i++) {
        rows.add(c);
      }
    }
    if (rows.isEmpty()) {
      rows.add(0);
    }
    ClassHistogram inOrder = new ClassHistogram(codes);
    rows.forEach(c -> inOrder.add(c, 1));
    Collections.shuffle(rows, new Random(seed));
    ClassHistogram shuffled = new ClassHistogram(codes);
    rows.forEach(c -> shuffled.add(c, 1));

    assertThat(shuffled.entropy()).isEqualTo(inOrder.entropy());
    assertThat(shuffled.distanceToTable()).isEqualTo(inOrder.distanceToTable());
    assertThat(shuffled.distinct()).isEqualTo(inOrder.distinct());
    for (int rank = 1; rank <= inOrder.distinct(); rank++) {
      assertThat(shuffled.frequency(rank)).isEqualTo(inOrder.frequency(rank));
    }
  }

  private static double[] numbers(int m) {
    double[] out = new double[m];
    for (int v = 0; v < m; v++) {
      out[v] = v * 1.5;
    }
    return out;
  }
}
