package dev.privseg.consent.ledger;

/** Where an event came from. */
public enum EventSource {
  /** A form the data subject filled in. */
  WEB_FORM,
  /** A call of the host's API. */
  API,
  /** A bulk import from an earlier system. */
  IMPORT,
  /** A privacy signal: TCF/GPP string, US Privacy string, Global Privacy Control. */
  SIGNAL,
  /** A data subject request handled by the controller. */
  SUBJECT_REQUEST,
  /** The controller's policy, e.g. consent expiry. */
  POLICY
}
