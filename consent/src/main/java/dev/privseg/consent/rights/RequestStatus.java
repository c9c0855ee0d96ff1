package dev.privseg.consent.rights;

/** Where a data subject request stands. */
public enum RequestStatus {
  /** Received, not yet answered. */
  OPEN,
  /** Received, its time limit extended with a reason, not yet answered. */
  EXTENDED,
  /** Carried out. */
  COMPLETED,
  /**
   * Answered with a refusal and its reason (GDPR Art. 12(4) and (5): manifestly unfounded or
   * excessive, or the requester's identity could not be established).
   */
  REFUSED;

  /** Whether a request in this status still awaits its answer. */
  public boolean isOpen() {
    return this == OPEN || this == EXTENDED;
  }
}
