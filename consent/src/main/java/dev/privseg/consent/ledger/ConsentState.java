package dev.privseg.consent.ledger;

import java.time.Instant;
import java.util.Optional;

/**
 * What the ledger says about one subject and one purpose at one instant, derived from the events
 * that took effect up to that instant (in order of effect, ties in ledger order). Holds no
 * identifier.
 *
 * @param consentGivenAt when the consent now in force was given; empty if none is in force
 * @param explicitConsent whether that consent was explicit (GDPR Art. 9(2)(a))
 * @param noticeVersion the notice version of that consent ("" if none)
 * @param everConsented whether consent was ever given before the instant
 * @param withdrawn whether the last consent was withdrawn
 * @param expired whether the last consent lapsed by an expiry event
 * @param objected whether an objection stands
 * @param optedOut whether an opt-out of sale or sharing stands
 * @param sensitiveUseLimited whether the use of sensitive information is limited
 * @param restricted whether processing is restricted
 * @param erased whether the subject's data was erased
 */
public record ConsentState(Optional<Instant> consentGivenAt, boolean explicitConsent,
    String noticeVersion, boolean everConsented, boolean withdrawn, boolean expired,
    boolean objected, boolean optedOut, boolean sensitiveUseLimited, boolean restricted,
    boolean erased) {

  /** The state of a subject the ledger knows nothing about. */
  public static final ConsentState UNKNOWN = new ConsentState(Optional.empty(), false, "", false,
      false, false, false, false, false, false, false);

  /** Folds {@code events} (all about one subject and purpose, in order of effect) up to {@code at}. */
  public static ConsentState fold(Iterable<ConsentEvent> events, Instant at) {
    Instant given = null;
    boolean explicit = false;
    String notice = "";
    boolean ever = false;
    boolean withdrawn = false;
    boolean expired = false;
    boolean objected = false;
    boolean optedOut = false;
    boolean limited = false;
    boolean restricted = false;
    for (ConsentEvent e : events) {
      if (e.occurredAt().isAfter(at)) {
        break;
      }
      switch (e.type()) {
        case CONSENT_GIVEN, EXPLICIT_CONSENT_GIVEN -> {
          given = e.occurredAt();
          explicit = e.type() == EventType.EXPLICIT_CONSENT_GIVEN;
          notice = e.noticeVersion();
          ever = true;
          withdrawn = false;
          expired = false;
        }
        case CONSENT_WITHDRAWN -> {
          withdrawn = given != null || withdrawn;
          given = null;
        }
        case CONSENT_EXPIRED -> {
          expired = given != null || expired;
          given = null;
        }
        case OBJECTION -> objected = true;
        case OBJECTION_WITHDRAWN -> objected = false;
        case OPT_OUT_OF_SALE_OR_SHARING -> optedOut = true;
        case OPT_IN_TO_SALE_OR_SHARING -> optedOut = false;
        case LIMIT_SENSITIVE_USE -> limited = true;
        case RESTRICTION -> restricted = true;
        case RESTRICTION_LIFTED -> restricted = false;
        case ERASURE -> {
          // GDPR Art. 17: terminal. Nothing recorded later can bring the subject back.
          return new ConsentState(Optional.empty(), false, "", ever, withdrawn, expired, objected,
              optedOut, limited, restricted, true);
        }
      }
    }
    return new ConsentState(Optional.ofNullable(given), given != null && explicit,
        given != null ? notice : "", ever, withdrawn, expired, objected, optedOut, limited,
        restricted, false);
  }

  /** Whether a consent is in force. */
  public boolean hasConsent() {
    return consentGivenAt.isPresent();
  }
}
