package dev.privseg.consent.rights;

/** The kinds of data subject request {@link SubjectRights} carries out. */
public enum RequestType {
  /** Access and portability (GDPR Art. 15 and 20; CCPA right to know). */
  ACCESS,
  /** Rectification (GDPR Art. 16): forwarded to the controller, who holds the data. */
  RECTIFICATION,
  /** Restriction of processing (GDPR Art. 18). */
  RESTRICTION,
  /** Lifting a restriction (GDPR Art. 18(3)). */
  RESTRICTION_LIFTED,
  /** Objection (GDPR Art. 21). */
  OBJECTION,
  /** Opt-out of sale or sharing (CCPA/CPRA). */
  OPT_OUT,
  /** Erasure (GDPR Art. 17; CCPA delete). */
  ERASURE
}
