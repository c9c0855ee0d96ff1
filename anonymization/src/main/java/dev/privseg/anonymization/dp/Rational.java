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
    int bar = t.indexOf('/');
    if (bar >= 0) {
      t = t.substring(0, bar).strip() + "/" + t.substring(bar + 1).strip();
    }
    if (!FRACTION.matcher(t).matches() && !(DECIMAL.matcher(t).matches()
        && Math.abs(exponent(t)) <= MAX_EXPONENT && mantissaDigits(t) <= MAX_DIGITS)) {
      // The text is not quoted back: it is configuration, and may be anything.
      throw new dev.privseg.core.ConfigurationException("privacy parameter must be a decimal "
          + "(0.5, 1e-6) or a fraction (1/2), in ASCII digits: at most " + MAX_DIGITS
          + " digits and an exponent within -" + MAX_EXPONENT + " to " + MAX_EXPONENT);
    }
    int slash = t.indexOf('/');
    if (slash >= 0) {
      BigInteger den = new BigInteger(t.substring(slash + 1));
      Checks.check(den.signum() > 0, "a fraction's denominator must be positive");
      return new Rational(new BigInteger(t.substring(0, slash)), den);
    }
    java.math.BigDecimal d = new java.math.BigDecimal(t);
    if (d.scale() <= 0) {
      return new Rational(d.toBigIntegerExact(), BigInteger.ONE);
    }
    return new Rational(d.unscaledValue(), BigInteger.TEN.pow(d.scale()));
  }

  /** The exponent of a decimal's text (0 if it has none). */
  private static int exponent(String decimal) {
    int e = Math.max(decimal.indexOf('e'), decimal.indexOf('E'));
    return e < 0 ? 0 : Integer.parseInt(decimal.substring(e + 1));
  }

  /** The digits before the exponent of a decimal's text. */
  private static long mantissaDigits(String decimal) {
    return decimal.chars().takeWhile(c -> c != 'e' && c != 'E').filter(c -> c != '.').count();
  }

  /** Most digits a parameter may have, in all. */
  private static final int MAX_DIGITS = 40;
  /** Largest exponent, either way: 1e-30 is far below any useful parameter. */
  private static final int MAX_EXPONENT = 30;
  private static final java.util.regex.Pattern FRACTION =
      java.util.regex.Pattern.compile("[0-9]{1,40}/[0-9]{1,40}");
  private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile(
      "(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]{1,2})?");

  /**
   * The smallest epsilon (or rho) a mechanism accepts, one millionth: below it the noise is over
   * a million times the largest contribution and no utility is left, and noise scales beyond
   * that only test the samplers' limits.
   */
  public static final Rational SMALLEST_PARAMETER = of(1, 1_000_000);

  /**
   * Checks that {@code value}, a mechanism's epsilon or rho named {@code name}, is at least
   * {@link #SMALLEST_PARAMETER}; returns it.
   */
  static Rational mechanismParameter(Rational value, String name) {
    Checks.notNull(value, name);
    Checks.check(value.compareTo(SMALLEST_PARAMETER) >= 0, "%s must be at least 1/1000000 "
        + "(smaller adds noise over a million times the largest contribution) but was %s", name,
        value);
    return value;
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
