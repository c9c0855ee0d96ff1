package dev.privseg.anonymization.dp;

import dev.privseg.core.Checks;
import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * The discrete Gaussian on the integers, {@code P(x) ∝ exp(-x² / (2σ²))}, sampled exactly for a
 * rational {@code σ²} (Canonne, Kamath &amp; Steinke 2020, Algorithm 3). Added to an integer query
 * of L2 sensitivity {@code Δ} it gives {@code ρ = Δ² / (2σ²)} zero-concentrated DP (their
 * Theorem 14). Thread-safe when the {@link SecureRandom} is.
 */
public final class DiscreteGaussian {
  private final BigInteger varNum;
  private final BigInteger varDen;
  private final BigInteger t;
  private final DiscreteLaplace laplace;
  private final SecureRandom random;

  private DiscreteGaussian(BigInteger varNum, BigInteger varDen, SecureRandom random) {
    this.varNum = varNum;
    this.varDen = varDen;
    this.random = random;
    // t = floor(σ) + 1, computed exactly: the largest integer whose square is <= σ².
    BigInteger floorSigma = varNum.divide(varDen).sqrt();
    while (floorSigma.add(BigInteger.ONE).pow(2).multiply(varDen).compareTo(varNum) <= 0) {
      floorSigma = floorSigma.add(BigInteger.ONE);
    }
    this.t = floorSigma.add(BigInteger.ONE);
    this.laplace = DiscreteLaplace.withScale(t.longValueExact(), 1, random);
  }

  /** Variance parameter {@code σ² = num / den} (both positive). */
  public static DiscreteGaussian withVariance(long num, long den, SecureRandom random) {
    Checks.check(num > 0 && den > 0, "sigma squared must be a positive fraction but was %s/%s",
        num, den);
    return new DiscreteGaussian(BigInteger.valueOf(num), BigInteger.valueOf(den),
        Checks.notNull(random, "random"));
  }

  /** The noise for a ρ-zCDP release of a query of L2 sensitivity {@code sensitivity}. */
  public static DiscreteGaussian forRho(Rational rho, long sensitivity, SecureRandom random) {
    Checks.check(sensitivity >= 1, "sensitivity must be >= 1 but was %s", sensitivity);
    // σ² = Δ² / (2ρ)
    BigInteger d2 = BigInteger.valueOf(sensitivity).pow(2);
    return new DiscreteGaussian(d2.multiply(rho.den()), rho.num().shiftLeft(1),
        Checks.notNull(random, "random"));
  }

  /** One sample. */
  public long sample() {
    // Y ~ discrete Laplace with scale t; accept with exp(-(|Y| - σ²/t)² / (2σ²)).
    // With σ² = p/q: γ = (q t |Y| - p)² / (2 p q t²), an exact rational.
    BigInteger p = varNum;
    BigInteger q = varDen;
    BigInteger twoPqt2 = p.multiply(q).multiply(t.pow(2)).shiftLeft(1);
    while (true) {
      long y = laplace.sample();
      BigInteger diff = q.multiply(t).multiply(BigInteger.valueOf(Math.abs(y))).subtract(p);
      if (ExactBernoulli.bernoulliExpMinus(diff.pow(2), twoPqt2, random)) {
        return y;
      }
    }
  }

  @Override
  public String toString() {
    return "DiscreteGaussian[sigma^2=" + varNum + "/" + varDen + "]";
  }
}
