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

  /**
   * {@link Double#parseDouble} for text of the plain decimal form only: ASCII digits, an optional
   * sign, point and exponent. Java's own parser also takes hexadecimal ({@code 0x1p3}), type
   * suffixes ({@code 1d}), NaN and Infinity, none of which a data file means as a number.
   */
  private static double general(String s) {
    if (!plainDecimal(s.trim())) { // parseDouble trims as String.trim does
      throw new NumberFormatException("not a plain decimal number");
    }
    return Double.parseDouble(s);
  }

  /** Whether {@code s} is {@code [+-]?(d+(.d*)?|.d+)([eE][+-]?d+)?} in ASCII digits. */
  static boolean plainDecimal(String s) {
    int n = s.length();
    int i = 0;
    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      i++;
    }
    int digits = 0;
    while (i < n && isDigit(s.charAt(i))) {
      i++;
      digits++;
    }
    if (i < n && s.charAt(i) == '.') {
      i++;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return false;
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int exponent = 0;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        exponent++;
      }
      if (exponent == 0) {
        return false;
      }
    }
    return i == n;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * A whole number in ASCII digits with an optional sign; throws {@link NumberFormatException}
   * otherwise ({@link Long#parseLong} also takes digits of other scripts).
   */
  public static long parseLong(String s) {
    int start = !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
    if (start == s.length()) {
      throw new NumberFormatException("not a whole number");
    }
    for (int i = start; i < s.length(); i++) {
      if (!isDigit(s.charAt(i))) {
        throw new NumberFormatException("not a whole number");
      }
    }
    return Long.parseLong(s);
  }

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
          return general(s); // could exceed 2^53: take the general path
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
        return general(s); // an exponent, or an error to report
      }
    }
    int scale = Math.max(fraction, 0);
    if (seen == 0 || scale >= POWERS.length) {
      return general(s);
    }
    double v = mantissa / POWERS[scale];
    return negative ? -v : v;
  }
}
