package dev.privseg.consent.ledger;

/** What a ledger event records. Events are never updated; a later event supersedes an earlier. */
public enum EventType {
  /** Consent given for the purpose (GDPR Art. 6(1)(a), Art. 7). */
  CONSENT_GIVEN,
  /** Explicit consent given for the purpose, as special categories need (GDPR Art. 9(2)(a)). */
  EXPLICIT_CONSENT_GIVEN,
  /** Consent withdrawn; effective from the event's instant (GDPR Art. 7(3)). */
  CONSENT_WITHDRAWN,
  /** Consent lapsed under the controller's expiry policy. */
  CONSENT_EXPIRED,
  /** Objection to the processing (GDPR Art. 21; absolute for direct marketing, Art. 21(3)). */
  OBJECTION,
  /** The subject lifted an earlier objection. */
  OBJECTION_WITHDRAWN,
  /** Opt-out of sale or sharing (CCPA/CPRA, Cal. Civ. Code 1798.120), including by GPC. */
  OPT_OUT_OF_SALE_OR_SHARING,
  /** The subject opted back in to sale or sharing. */
  OPT_IN_TO_SALE_OR_SHARING,
  /** Limit the use of sensitive personal information (Cal. Civ. Code 1798.121). */
  LIMIT_SENSITIVE_USE,
  /** Restriction of processing (GDPR Art. 18). */
  RESTRICTION,
  /** An earlier restriction was lifted (GDPR Art. 18(3)). */
  RESTRICTION_LIFTED,
  /** The subject's data was erased (GDPR Art. 17): terminal, nothing later counts. */
  ERASURE;

  /** Whether the event gives consent ({@link #CONSENT_GIVEN} or {@link #EXPLICIT_CONSENT_GIVEN}). */
  public boolean givesConsent() {
    return this == CONSENT_GIVEN || this == EXPLICIT_CONSENT_GIVEN;
  }
}
