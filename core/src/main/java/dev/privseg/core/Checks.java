package dev.privseg.core;

/**
 * Eager argument checks that throw {@link ConfigurationException} with a message naming the
 * argument and the rule, in the manner of Guava's {@code Preconditions}. Messages are built from
 * argument names and configuration values only, never from data.
 */
public final class Checks {
  private Checks() {}

  /** Throws unless {@code condition} holds; the message is {@code String.format(template, args)}. */
  public static void check(boolean condition, String template, Object... args) {
    if (!condition) {
      throw new ConfigurationException(String.format(template, args));
    }
  }

  /** Returns {@code value}, or throws naming {@code argument} if it is null. */
  public static <T> T notNull(T value, String argument) {
    if (value == null) {
      throw new ConfigurationException(argument + " must not be null");
    }
    return value;
  }

  /** Returns {@code value}, or throws naming {@code argument} if it is null or blank. */
  public static String notBlank(String value, String argument) {
    notNull(value, argument);
    check(!value.isBlank(), "%s must not be blank", argument);
    return value;
  }

  /** Returns {@code value}, or throws unless it is at least {@code min}. */
  public static int atLeast(int value, int min, String argument) {
    check(value >= min, "%s must be >= %s but was %s", argument, min, value);
    return value;
  }

  /** Returns {@code value}, or throws unless it is finite and positive. */
  public static double positive(double value, String argument) {
    check(Double.isFinite(value) && value > 0, "%s must be a finite number > 0 but was %s",
        argument, value);
    return value;
  }
}
