package dev.privseg.core.segment.rules;

import dev.privseg.core.ConfigurationException;

/**
 * A segment rule does not parse. The message names the rule's segment, the position and what was
 * expected. Rules are configuration, not personal data, so the rule text may be quoted.
 */
public class RuleSyntaxException extends ConfigurationException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public RuleSyntaxException(String message) {
    super(message);
  }
}
