package dev.privseg.core;

import java.util.regex.Pattern;

/**
 * Identifier of a processing purpose, e.g. {@code marketing-segmentation}: lower-case letters,
 * digits, '-', '_' and '.', starting with a letter or digit, at most 64 characters.
 *
 * @param value the identifier
 */
public record PurposeId(String value) {
  private static final Pattern FORM = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  /** Validates the identifier. */
  public PurposeId {
    Checks.notNull(value, "purpose id");
    Checks.check(FORM.matcher(value).matches(),
        "purpose id must match %s but was '%s'", FORM.pattern(), value);
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
