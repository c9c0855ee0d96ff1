package dev.privseg.anonymization.dp;

import dev.privseg.core.Checks;
import java.math.BigInteger;

/**
 * An exact, non-negative fraction for privacy parameters (ε, δ, ρ), so budgets add up without
 * rounding and noise is calibrated without floating point. Immutable; always reduced.
 *
 * @param num the numerator
 * @param den the denominator (positive)
 */
public record Rational(BigInteger num, BigInteger den) implements Comparable<Rational> {
  /** Zero. */
  public static final Rational ZERO = new Rational(BigInteger.ZERO, BigInteger.ONE);

  /** Validates and reduces. */
  public Rational {
    Checks.notNull(num, "numerator");
    Checks.notNull(den, "denominator");
    Checks.check(den.signum() > 0, "denominator must be positive");
    Checks.check(num.signum() >= 0, "privacy parameters are never negative");
    BigInteger g = num.gcd(den);
    if (g.signum() > 0 && !g.equals(BigInteger.ONE)) {
      num = num.divide(g);
      den = den.divide(g);
    }
  }

  /** {@code num / den}. */
  public static Rational of(long num, long den) {
    return new Rational(BigInteger.valueOf(num), BigInteger.valueOf(den));
  }

  /**
   * The exact value of a decimal string such as {@code "0.5"} or {@code "1e-6"}, or of a
   * fraction such as {@code "1/2"} (the form records print): parameters are given as text so no
   * binary rounding slips in.
   *
   * @throws dev.privseg.core.ConfigurationException naming the text if it is neither, or negative
   */
  public static Rational parse(String text) {
    String t = Checks.notBlank(text, "value").strip();
    try {
      int slash = t.indexOf('/');
      if (slash >= 0) {
        BigInteger num = new BigInteger(t.substring(0, slash).strip());
        BigInteger den = new BigInteger(t.substring(slash + 1).strip());
        Checks.check(num.signum() >= 0, "privacy parameter must be >= 0 but was %s", text);
        Checks.check(den.signum() > 0, "a fraction's denominator must be positive but was %s",
            text);
        return new Rational(num, den);
      }
      java.math.BigDecimal d = new java.math.BigDecimal(t);
      Checks.check(d.signum() >= 0, "privacy parameter must be >= 0 but was %s", text);
      if (d.scale() <= 0) {
        return new Rational(d.toBigIntegerExact(), BigInteger.ONE);
      }
      return new Rational(d.unscaledValue(), BigInteger.TEN.pow(d.scale()));
    } catch (NumberFormatException | ArithmeticException e) {
      throw new dev.privseg.core.ConfigurationException("privacy parameter must be a decimal "
          + "(0.5, 1e-6) or a fraction (1/2) but was '" + text + "'");
    }
  }

  /** The sum. */
  public Rational plus(Rational o) {
    return new Rational(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den));
  }

  /** The difference, which must not be negative. */
  public Rational minus(Rational o) {
    return new Rational(num.multiply(o.den).subtract(o.num.multiply(den)), den.multiply(o.den));
  }

  @Override
  public int compareTo(Rational o) {
    return num.multiply(o.den).compareTo(o.num.multiply(den));
  }

  /** An approximation for display. */
  public double toDouble() {
    return new java.math.BigDecimal(num).divide(new java.math.BigDecimal(den),
        java.math.MathContext.DECIMAL64).doubleValue();
  }

  @Override
  public String toString() {
    return den.equals(BigInteger.ONE) ? num.toString() : num + "/" + den;
  }
}
