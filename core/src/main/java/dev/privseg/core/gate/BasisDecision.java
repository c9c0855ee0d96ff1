package dev.privseg.core.gate;

/**
 * The outcome of checking one subject's lawful basis for a purpose at an instant: either
 * {@link #ALLOWED}, or the reason the subject is excluded. Reasons are counted in the processing
 * record; who was excluded never is.
 */
public enum BasisDecision {
  /** A valid lawful basis exists for the purpose at the instant. */
  ALLOWED,
  /** No basis is known for this subject and purpose (e.g. never consented). */
  NO_BASIS,
  /** Consent was given and later withdrawn (GDPR Art. 7(3)). */
  CONSENT_WITHDRAWN,
  /** Consent lapsed under the host's expiry policy. */
  CONSENT_EXPIRED,
  /** The subject objected to the processing (GDPR Art. 21). */
  OBJECTED,
  /** The subject opted out of sale or sharing (CCPA/CPRA), including by a GPC signal. */
  OPTED_OUT,
  /** Processing is restricted (GDPR Art. 18). */
  RESTRICTED,
  /** The subject's data was erased (GDPR Art. 17). */
  ERASED;

  /** Whether the subject may be processed. */
  public boolean isAllowed() {
    return this == ALLOWED;
  }
}
