package dev.privseg.core;

/**
 * A builder, schema or spec was given an argument that breaks a rule. The message names the
 * argument and the rule, e.g. {@code "clusters must be >= 2 but was 1"}.
 */
public class ConfigurationException extends PrivsegException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; {@code message} names the argument and the rule. */
  public ConfigurationException(String message) {
    super(message);
  }

  /** Creates the exception with its cause; {@code message} names the argument and the rule. */
  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
