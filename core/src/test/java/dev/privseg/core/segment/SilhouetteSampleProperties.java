package dev.privseg.core.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The silhouette's sample, drawn keeping only the displaced positions, is the partial
 * Fisher-Yates shuffle of every row index that the silhouette has always drawn, so an engine
 * that holds the rows elsewhere measures the same rows in the same order.
 */
class SilhouetteSampleProperties {

  @Property(tries = 300)
  void theSparseDrawIsTheFullShufflesPrefix(@ForAll @IntRange(min = 1, max = 5_000) int n,
      @ForAll @IntRange(min = 0, max = 6_000) int size, @ForAll long seed) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    int s = Math.min(n, size);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < s; i++) {
      int j = i + random.nextInt(n - i);
      int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    assertThat(Silhouette.sampleRows(n, size, seed)).isEqualTo(Arrays.copyOf(idx, s));
  }
}
