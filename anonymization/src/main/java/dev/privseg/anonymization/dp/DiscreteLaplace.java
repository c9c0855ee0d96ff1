package dev.privseg.anonymization.dp;

import dev.privseg.core.Checks;
import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * The discrete Laplace distribution on the integers, {@code P(x) ∝ exp(-|x| / scale)}, sampled
 * exactly for a rational scale (Canonne, Kamath &amp; Steinke 2020, Algorithm 2). Adding it to an
 * integer query of L1 sensitivity {@code Δ} gives {@code ε = Δ / scale} differential privacy.
 * Thread-safe when the {@link SecureRandom} is (the JDK's are).
 */
public final class DiscreteLaplace {
  private final BigInteger scaleNum;
  private final BigInteger scaleDen;
  private final SecureRandom random;

  private DiscreteLaplace(BigInteger scaleNum, BigInteger scaleDen, SecureRandom random) {
    this.scaleNum = scaleNum;
    this.scaleDen = scaleDen;
    this.random = random;
  }

  /** Scale {@code num / den} (both positive). */
  public static DiscreteLaplace withScale(long num, long den, SecureRandom random) {
    Checks.check(num > 0 && den > 0, "scale must be a positive fraction but was %s/%s", num, den);
    return new DiscreteLaplace(BigInteger.valueOf(num), BigInteger.valueOf(den),
        Checks.notNull(random, "random"));
  }

  /** The noise for an ε-DP release of a query of L1 sensitivity {@code sensitivity}. */
  public static DiscreteLaplace forEpsilon(Rational epsilon, long sensitivity,
      SecureRandom random) {
    Checks.check(sensitivity >= 1, "sensitivity must be >= 1 but was %s", sensitivity);
    // scale = Δ / ε
    return new DiscreteLaplace(epsilon.den().multiply(BigInteger.valueOf(sensitivity)),
        epsilon.num(), Checks.notNull(random, "random"));
  }

  /** One sample. */
  public long sample() {
    // CKS Algorithm 2 samples scale t/s: U uniform in [0, t), accept with exp(-U/t); V
    // geometric with exp(-1); X = U + t V is geometric with 1 - exp(-1/t); Y = floor(X / s);
    // random sign, rejecting "-0".
    BigInteger t = scaleNum;
    BigInteger s = scaleDen;
    while (true) {
      BigInteger u = ExactBernoulli.uniform(t, random);
      if (!ExactBernoulli.bernoulliExpMinus(u, t, random)) {
        continue;
      }
      BigInteger v = BigInteger.ZERO;
      while (ExactBernoulli.bernoulliExpMinus(BigInteger.ONE, BigInteger.ONE, random)) {
        v = v.add(BigInteger.ONE);
      }
      BigInteger y = u.add(t.multiply(v)).divide(s);
      boolean negative = random.nextBoolean();
      if (negative && y.signum() == 0) {
        continue;
      }
      return negative ? -y.longValueExact() : y.longValueExact();
    }
  }

  @Override
  public String toString() {
    return "DiscreteLaplace[scale=" + scaleNum + "/" + scaleDen + "]";
  }
}
