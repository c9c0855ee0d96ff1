package dev.privseg.core.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AdjustedRandTest {

  @Test
  void identicalPartitionsScoreOneWhateverTheLabels() {
    assertThat(AdjustedRand.index(new int[] {0, 0, 1, 1, 2, 2}, new int[] {5, 5, 3, 3, 9, 9}))
        .isEqualTo(1.0);
  }

  @Test
  void matchesAHandComputedExample() {
    // Contingency [[2,1],[0,3]]: index 1 + 3 = 4, rows 3 + 3 = 6 (sums 3, 3), columns 2 + 4
    // (sums 1, 6): expected 6 * 7 / 15 = 2.8, max 6.5: ARI = (4 - 2.8) / (6.5 - 2.8).
    double ari = AdjustedRand.index(new int[] {0, 0, 0, 1, 1, 1}, new int[] {0, 0, 1, 1, 1, 1});
    assertThat(ari).isCloseTo((4 - 2.8) / (6.5 - 2.8), within(1e-12));
  }

  @Test
  void independentLabelingsScoreNearZero() {
    int n = 20_000;
    int[] a = new int[n];
    int[] b = new int[n];
    java.util.SplittableRandom r = new java.util.SplittableRandom(1);
    for (int i = 0; i < n; i++) {
      a[i] = r.nextInt(4);
      b[i] = r.nextInt(4);
    }
    assertThat(AdjustedRand.index(a, b)).isCloseTo(0, within(0.01));
    assertThatThrownBy(() -> AdjustedRand.index(new int[2], new int[3]))
        .hasMessageContaining("differ in length");
  }
}
