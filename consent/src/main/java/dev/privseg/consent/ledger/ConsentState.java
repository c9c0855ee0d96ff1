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
    Folding folding = new Folding();
    for (ConsentEvent e : events) {
      if (e.occurredAt().isAfter(at) || !folding.apply(e.type(), e.occurredAt(),
          e.noticeVersion())) {
        break;
      }
    }
    return folding.state();
  }

  /**
   * Derives a state one event at a time, as {@link #fold} does, for callers that hold events'
   * fields rather than {@link ConsentEvent}s (a gate deciding a million subjects from a narrow
   * scan). Feed it one subject's events for one purpose in order of effect, ties in ledger order,
   * and only those that took effect by the instant of interest. Not thread-safe.
   */
  public static final class Folding {
    private Instant given;
    private boolean explicit;
    private String notice = "";
    private boolean ever;
    private boolean withdrawn;
    private boolean expired;
    private boolean objected;
    private boolean optedOut;
    private boolean limited;
    private boolean restricted;
    private boolean erased;

    /** A fold of no events yet: {@link ConsentState#UNKNOWN}. */
    public Folding() {}

    /**
     * A fold that continues from {@code state}: applying later events (all taking effect at or
     * after the events {@code state} was derived from) gives what folding every event would.
     */
    public Folding(ConsentState state) {
      given = state.consentGivenAt().orElse(null);
      explicit = state.explicitConsent();
      notice = state.noticeVersion();
      ever = state.everConsented();
      withdrawn = state.withdrawn();
      expired = state.expired();
      objected = state.objected();
      optedOut = state.optedOut();
      limited = state.sensitiveUseLimited();
      restricted = state.restricted();
      erased = state.erased();
    }

    /**
     * Applies the next event. Returns false once the subject is erased: erasure is terminal
     * (GDPR Art. 17), nothing recorded later can bring the subject back, and later events are
     * ignored.
     *
     * @param type what happened
     * @param occurredAt when it took effect
     * @param noticeVersion the notice version, read only for a consent given (other events may
     *     pass null)
     */
    public boolean apply(EventType type, Instant occurredAt, String noticeVersion) {
      if (erased) {
        return false;
      }
      switch (type) {
        case CONSENT_GIVEN, EXPLICIT_CONSENT_GIVEN -> {
          given = occurredAt;
          explicit = type == EventType.EXPLICIT_CONSENT_GIVEN;
          notice = noticeVersion;
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
        case ERASURE -> erased = true;
      }
      return !erased;
    }

    /** The state the events applied so far derive. */
    public ConsentState state() {
      if (erased) {
        return new ConsentState(Optional.empty(), false, "", ever, withdrawn, expired, objected,
            optedOut, limited, restricted, true);
      }
      return new ConsentState(Optional.ofNullable(given), given != null && explicit,
          given != null ? notice : "", ever, withdrawn, expired, objected, optedOut, limited,
          restricted, false);
    }
  }

  /** Whether a consent is in force. */
  public boolean hasConsent() {
    return consentGivenAt.isPresent();
  }
}
