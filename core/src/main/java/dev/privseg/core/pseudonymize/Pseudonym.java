package dev.privseg.core.pseudonymize;

import dev.privseg.core.Checks;

/**
 * A pseudonym standing in for a subject identifier. Pseudonymized data is still personal data
 * (GDPR Recital 26), so {@link #toString()} is redacted; {@link #value()} gives the string.
 *
 * @param value the pseudonym text
 */
public record Pseudonym(String value) {

  /** Validates the pseudonym. */
  public Pseudonym {
    Checks.notBlank(value, "pseudonym");
  }

  @Override
  public String toString() {
    return "Pseudonym[redacted]";
  }
}
