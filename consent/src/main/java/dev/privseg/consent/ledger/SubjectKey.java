package dev.privseg.consent.ledger;

/**
 * The ledger's name for a data subject: a 128-bit keyed hash of the subject identifier, so the
 * ledger holds no raw identifiers. Still pseudonymous personal data: {@link #toString()} is
 * redacted.
 *
 * @param high the upper 64 bits
 * @param low the lower 64 bits
 */
public record SubjectKey(long high, long low) {

  /** The key as 32 lower-case hex digits, for storage. */
  public String hex() {
    return java.util.HexFormat.of().toHexDigits(high) + java.util.HexFormat.of().toHexDigits(low);
  }

  @Override
  public String toString() {
    return "SubjectKey[redacted]";
  }
}
