package dev.privseg.core.pseudonymize;

import dev.privseg.core.PrivsegException;

/** A key could not be obtained or used. The message names the source, never key material. */
public class KeyException extends PrivsegException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message must not contain key material. */
  public KeyException(String message) {
    super(message);
  }

  /** Creates the exception with its cause; the message must not contain key material. */
  public KeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
