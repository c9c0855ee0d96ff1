package dev.privseg.anonymization.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.function.IntToDoubleFunction;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * Statistical tests of the exact samplers: empirical frequencies against the exact probability
 * mass functions (chi-square), and the first two moments. Seeded SHA1PRNG makes them repeatable.
 */
class DiscreteSamplersTest {
  static final int N = 60_000;
  /** Chi-square critical value for 30 degrees of freedom at p = 0.001. */
  static final double CHI2_30_P001 = 59.70;

  static SecureRandom seeded(long seed) throws NoSuchAlgorithmException {
    SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
    r.setSeed(seed);
    return r;
  }

  /** Chi-square of samples against {@code pmf} on [-15, 15] (tails pooled into the ends). */
  static double chiSquare(LongSupplier sampler, IntToDoubleFunction pmf) {
    long[] counts = new long[31];
    for (int i = 0; i < N; i++) {
      long x = Math.max(-15, Math.min(15, sampler.getAsLong()));
      counts[(int) x + 15]++;
    }
    double[] expected = new double[31];
    double inner = 0;
    for (int x = -14; x <= 14; x++) {
      expected[x + 15] = pmf.applyAsDouble(x);
      inner += expected[x + 15];
    }
    expected[0] = (1 - inner) / 2;
    expected[30] = (1 - inner) / 2;
    double chi = 0;
    for (int i = 0; i < 31; i++) {
      double e = expected[i] * N;
      if (e > 0) {
        chi += (counts[i] - e) * (counts[i] - e) / e;
      }
    }
    return chi;
  }

  static IntToDoubleFunction laplacePmf(double scale) {
    double a = Math.exp(-1 / scale);
    return x -> (1 - a) / (1 + a) * Math.pow(a, Math.abs(x));
  }

  static IntToDoubleFunction gaussianPmf(double variance) {
    double z = 0;
    for (int x = -200; x <= 200; x++) {
      z += Math.exp(-x * (double) x / (2 * variance));
    }
    double norm = z;
    return x -> Math.exp(-x * (double) x / (2 * variance)) / norm;
  }

  @Test
  void discreteLaplaceMatchesItsDistribution() throws Exception {
    for (long[] scale : new long[][] {{2, 1}, {5, 2}, {1, 3}}) {
      DiscreteLaplace l = DiscreteLaplace.withScale(scale[0], scale[1], seeded(scale[0] * 7 + 1));
      double s = (double) scale[0] / scale[1];
      assertThat(chiSquare(l::sample, laplacePmf(s))).as("scale %s", s)
          .isLessThan(CHI2_30_P001);
    }
  }

  @Test
  void discreteLaplaceHasMeanZeroAndItsVariance() throws Exception {
    DiscreteLaplace l = DiscreteLaplace.withScale(3, 1, seeded(11));
    double sum = 0;
    double squares = 0;
    for (int i = 0; i < N; i++) {
      long x = l.sample();
      sum += x;
      squares += x * (double) x;
    }
    double a = Math.exp(-1.0 / 3);
    double variance = 2 * a / ((1 - a) * (1 - a));
    assertThat(Math.abs(sum / N)).isLessThan(5 * Math.sqrt(variance / N));
    assertThat(squares / N).isCloseTo(variance, org.assertj.core.data.Percentage.withPercentage(4));
  }

  @Test
  void discreteGaussianMatchesItsDistribution() throws Exception {
    for (long[] var : new long[][] {{4, 1}, {9, 4}, {25, 1}}) {
      DiscreteGaussian g = DiscreteGaussian.withVariance(var[0], var[1], seeded(var[0] + 3));
      double v = (double) var[0] / var[1];
      assertThat(chiSquare(g::sample, gaussianPmf(v))).as("sigma^2 %s", v)
          .isLessThan(CHI2_30_P001);
    }
  }

  @Test
  void calibrationFollowsEpsilonAndRho() throws Exception {
    // ε = 1/2 on sensitivity 1: scale 2. ρ = 1/8 on sensitivity 1: σ² = 4.
    assertThat(DiscreteLaplace.forEpsilon(Rational.parse("0.5"), 1, seeded(1)).toString())
        .isEqualTo("DiscreteLaplace[scale=2/1]");
    assertThat(DiscreteGaussian.forRho(Rational.of(1, 8), 1, seeded(1)).toString())
        .isEqualTo("DiscreteGaussian[sigma^2=1/1]".replace("1/1", "8/2"));
    assertThatThrownBy(() -> DiscreteLaplace.withScale(0, 1, seeded(1)))
        .hasMessageContaining("scale must be a positive fraction");
  }
}
