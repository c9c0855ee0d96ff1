package dev.privseg.consent;

import dev.privseg.core.PrivsegException;

/**
 * A consent operation failed: a store could not be read or written, or an event breaks a rule.
 * The message names the operation, the store or the rule, never a subject identifier.
 */
public class ConsentException extends PrivsegException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message must not contain personal data. */
  public ConsentException(String message) {
    super(message);
  }

  /** Creates the exception with its cause; the message must not contain personal data. */
  public ConsentException(String message, Throwable cause) {
    super(message, cause);
  }
}
