package dev.privseg.core;

/**
 * The raw identifier of a data subject, as the host knows it. It is personal data: its
 * {@link #toString()} is redacted, and it never leaves the pipeline's pseudonymization stage.
 *
 * @param value the raw identifier
 */
public record SubjectId(String value) {

  /** Validates the identifier (non-null, non-blank). */
  public SubjectId {
    Checks.notBlank(value, "subject id");
  }

  /** Returns the subject id with the given raw value. */
  public static SubjectId of(String value) {
    return new SubjectId(value);
  }

  @Override
  public String toString() {
    return "SubjectId[redacted]";
  }
}
