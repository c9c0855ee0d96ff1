package dev.privseg.core.anonymize;

import dev.privseg.core.PrivsegException;

/**
 * The configured privacy criteria cannot be met: no transformation satisfies them with at most the
 * allowed share of rows suppressed, or a batch re-anonymized with a saved scheme breaks them. The
 * message names the criterion (e.g. {@code "5-anonymity"}, {@code "distinct-3-diversity of
 * 'job'"}), never a value. Nothing is released.
 */
public class AnonymizationFailedException extends PrivsegException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; {@code message} names the criterion that could not be met. */
  public AnonymizationFailedException(String message) {
    super(message);
  }
}
