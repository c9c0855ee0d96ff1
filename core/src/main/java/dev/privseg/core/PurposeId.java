package dev.privseg.core;


/**
 * Identifier of a processing purpose, e.g. {@code marketing-segmentation}: lower-case letters,
 * digits, '-', '_' and '.', starting with a letter or digit, at most 64 characters.
 *
 * @param value the identifier
 */
public record PurposeId(String value) {
  /** The form, for messages; {@link #wellFormed} checks it without a regular expression. */
  static final String FORM = "[a-z0-9][a-z0-9._-]{0,63}";

  /** Validates the identifier. */
  public PurposeId {
    Checks.notNull(value, "purpose id");
    // The text is not quoted: a misplaced cell of a consent file may hold anything.
    Checks.check(wellFormed(value), "purpose id must match %s (lower-case letters, digits, '.', "
        + "'_' and '-') but the value given (%s characters) does not", FORM, value.length());
  }

  /**
   * Whether {@code value} has the form {@link #FORM}. A loop rather than a regular expression:
   * reading a ledger makes one purpose id per event, and the matcher took about a second per
   * million.
   */
  static boolean wellFormed(String value) {
    int n = value.length();
    if (n == 0 || n > 64) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || (i > 0 && (c == '.' || c == '_' || c == '-'));
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Returns the identifier of {@code value}. */
  public static PurposeId of(String value) {
    return new PurposeId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
