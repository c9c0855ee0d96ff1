package dev.privseg.core.internal;

/**
 * Parses plain decimal text ({@code -12.345}) to {@code double} without the general-purpose
 * machinery of {@link Double#parseDouble}, falling back to it for anything else. The fast path is
 * Clinger's (1990): when the digits form an integer below 2^53 and the power of ten is at most
 * 10^22, both are exact doubles and one IEEE division gives the correctly rounded result, so the
 * answer is always identical to {@code Double.parseDouble}. Not part of the API.
 */
public final class Decimals {
  private static final double[] POWERS = new double[23];

  static {
    double p = 1;
    for (int i = 0; i < POWERS.length; i++) {
      POWERS[i] = p;
      p *= 10;
    }
  }

  private Decimals() {}

  /** The value of {@code s}; throws {@link NumberFormatException} if it is not a number. */
  public static double parse(String s) {
    int n = s.length();
    int i = 0;
    boolean negative = false;
    if (n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      i = 1;
    }
    long mantissa = 0;
    int significant = 0;
    int seen = 0;
    int fraction = -1;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        if (significant >= 15) {
          return Double.parseDouble(s); // could exceed 2^53: take the general path
        }
        mantissa = mantissa * 10 + (c - '0');
        seen++;
        if (mantissa != 0) {
          significant++;
        }
        if (fraction >= 0) {
          fraction++;
        }
      } else if (c == '.' && fraction < 0) {
        fraction = 0;
      } else {
        return Double.parseDouble(s); // exponent, NaN, Infinity, or an error to report
      }
    }
    int scale = Math.max(fraction, 0);
    if (seen == 0 || scale >= POWERS.length) {
      return Double.parseDouble(s);
    }
    double v = mantissa / POWERS[scale];
    return negative ? -v : v;
  }
}
