package dev.privseg.core;

/**
 * Root of every exception privseg throws on purpose. Unchecked.
 *
 * <p>Contract for every subclass: the message names the field, row, parameter or rule involved,
 * and never a personal value. Host applications may therefore log these messages.
 */
public class PrivsegException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that must not contain personal data. */
  public PrivsegException(String message) {
    super(message);
  }

  /** Creates an exception with a message that must not contain personal data, and its cause. */
  public PrivsegException(String message, Throwable cause) {
    super(message, cause);
  }
}
