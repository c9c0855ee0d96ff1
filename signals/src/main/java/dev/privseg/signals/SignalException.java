package dev.privseg.signals;

import dev.privseg.consent.ConsentException;

/**
 * A privacy signal could not be accepted: it is malformed, or (for TCF) written under a policy
 * older than TCF v2.2. Nothing is recorded for a rejected signal. The message names the signal
 * kind and the problem, never the signal text (which can carry identifiers of the device).
 */
public class SignalException extends ConsentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message must not quote the signal. */
  public SignalException(String message) {
    super(message);
  }
}
