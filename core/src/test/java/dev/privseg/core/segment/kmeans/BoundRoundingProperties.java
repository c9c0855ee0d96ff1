package dev.privseg.core.segment.kmeans;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

/**
 * Hamerly's bounds are stored as {@code float}s rounded outwards: an upper bound never below the
 * {@code double} it stands for, a lower bound never above it, and both close to it. A bound on the
 * wrong side would let a row keep a centre that is no longer its nearest.
 */
class BoundRoundingProperties {

  @Property(tries = 3000)
  void anUpperBoundIsNeverBelowItsValue(@ForAll double v) {
    float up = Lloyd.up(v);
    if (Double.isNaN(v)) {
      assertThat(up).isNaN();
      return;
    }
    assertThat((double) up).isGreaterThanOrEqualTo(v);
    if (Math.abs(v) <= Float.MAX_VALUE / 2) {
      assertThat((double) up).isLessThanOrEqualTo(v + Math.abs(v) * 0x1p-21 + 0x1p-147);
    }
  }

  @Property(tries = 3000)
  void aLowerBoundIsNeverAboveItsValue(
      @ForAll @DoubleRange(min = 0, max = Double.MAX_VALUE) double v) {
    float down = Lloyd.downNonNegative(v);
    assertThat((double) down).isLessThanOrEqualTo(v);
    if (v <= Float.MAX_VALUE / 2) {
      assertThat((double) down).isGreaterThanOrEqualTo(v - v * 0x1p-21 - 0x1p-147);
    }
  }

  @Test
  void infiniteValuesStayBounds() {
    assertThat(Lloyd.up(Double.POSITIVE_INFINITY)).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(Lloyd.up(Double.NEGATIVE_INFINITY)).isGreaterThanOrEqualTo(-Float.MAX_VALUE);
    assertThat((double) Lloyd.downNonNegative(Double.POSITIVE_INFINITY))
        .isLessThanOrEqualTo(Double.POSITIVE_INFINITY);
    assertThat(Lloyd.downNonNegative(1e300)).isEqualTo(Float.MAX_VALUE);
  }
}
