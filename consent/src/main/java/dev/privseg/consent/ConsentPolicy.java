package dev.privseg.consent;

import dev.privseg.consent.ledger.ConsentState;
import dev.privseg.core.Checks;
import dev.privseg.core.LawfulBasis;
import dev.privseg.core.Purpose;
import dev.privseg.core.gate.BasisDecision;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The rules that turn a subject's {@link ConsentState} into a {@link BasisDecision} for one
 * purpose: which lawful basis the purpose relies on (from the {@link Purpose}), whether consent
 * lapses after a period, whether the purpose is direct marketing (GDPR Art. 21(2)-(3): an
 * objection is then absolute, whatever the basis), and whether an opt-out of sale or sharing
 * (CCPA/CPRA) excludes the subject. Immutable and thread-safe.
 *
 * <pre>{@code
 * ConsentPolicy policy = ConsentPolicy.forPurpose(Purposes.MARKETING_SEGMENTATION)
 *     .consentExpiresAfter(Period.ofMonths(24))
 *     .directMarketing(true)
 *     .optOutOfSaleOrSharingExcludes(true)
 *     .build();
 * }</pre>
 *
 * <p>Order of the rules, first match wins: erased, restricted (Art. 18), objected (for consent,
 * legitimate interests, public task, and any direct-marketing purpose), opted out (when
 * configured), then the basis itself: for consent, a consent in force that has not expired; for
 * the other bases the host vouches that the basis exists.
 *
 * @param purpose the purpose the policy decides for
 * @param consentExpiry how long a consent lasts, if it lapses
 * @param directMarketing whether the purpose is direct marketing (objection is absolute)
 * @param optOutExcludes whether an opt-out of sale or sharing excludes the subject
 * @param minimumNoticeVersion consent given under an older notice does not count, if set
 */
public record ConsentPolicy(Purpose purpose, Optional<Period> consentExpiry,
    boolean directMarketing, boolean optOutExcludes, Optional<String> minimumNoticeVersion) {

  /** Validates the policy. */
  public ConsentPolicy {
    Checks.notNull(purpose, "purpose");
    Checks.notNull(consentExpiry, "consentExpiry");
    consentExpiry.ifPresent(p -> Checks.check(!p.isNegative() && !p.isZero(),
        "consent expiry must be a positive period but was %s", p));
    Checks.notNull(minimumNoticeVersion, "minimumNoticeVersion");
  }

  /** Starts a policy for {@code purpose}; by default consent never lapses. */
  public static Builder forPurpose(Purpose purpose) {
    return new Builder(Checks.notNull(purpose, "purpose"));
  }

  /**
   * This policy in one line, as a consent gate's description (and so a run's processing record)
   * states it: {@code marketing-segmentation {consentExpiry=P2Y, directMarketing=true,
   * optOutExcludes=true, minimumNoticeVersion=none}}. Two policies decide alike exactly when
   * their summaries are equal.
   */
  public String summary() {
    return purpose.id().value() + " {consentExpiry=" + consentExpiry.map(Period::toString)
        .orElse("none") + ", directMarketing=" + directMarketing + ", optOutExcludes="
        + optOutExcludes + ", minimumNoticeVersion=" + minimumNoticeVersion.orElse("none") + "}";
  }

  /** The decision for a subject in {@code state} at {@code at}. */
  public BasisDecision decide(ConsentState state, Instant at) {
    if (state.erased()) {
      return BasisDecision.ERASED;
    }
    if (state.restricted()) {
      return BasisDecision.RESTRICTED;
    }
    LawfulBasis basis = purpose.requiredBasis();
    boolean objectionApplies = directMarketing || basis == LawfulBasis.CONSENT
        || basis == LawfulBasis.LEGITIMATE_INTERESTS || basis == LawfulBasis.PUBLIC_TASK;
    if (state.objected() && objectionApplies) {
      return BasisDecision.OBJECTED;
    }
    if (state.optedOut() && optOutExcludes) {
      return BasisDecision.OPTED_OUT;
    }
    if (basis != LawfulBasis.CONSENT) {
      return BasisDecision.ALLOWED;
    }
    if (!state.hasConsent()) {
      if (state.withdrawn()) {
        return BasisDecision.CONSENT_WITHDRAWN;
      }
      return state.expired() ? BasisDecision.CONSENT_EXPIRED : BasisDecision.NO_BASIS;
    }
    Instant given = state.consentGivenAt().orElseThrow();
    if (consentExpiry.isPresent() && !lapses(given, consentExpiry.get()).isAfter(at)) {
      return BasisDecision.CONSENT_EXPIRED;
    }
    if (minimumNoticeVersion.isPresent()
        && state.noticeVersion().compareTo(minimumNoticeVersion.get()) < 0) {
      return BasisDecision.NO_BASIS;
    }
    return BasisDecision.ALLOWED;
  }

  /**
   * When a consent given at {@code given} lapses after {@code period}, on the UTC calendar: what
   * {@code given.atOffset(UTC).plus(period)} gives, without the zone rules that path builds for
   * every call (a status decides a million subjects).
   */
  static Instant lapses(Instant given, Period period) {
    return LocalDateTime.ofEpochSecond(given.getEpochSecond(), given.getNano(), ZoneOffset.UTC)
        .plus(period).toInstant(ZoneOffset.UTC);
  }

  /** Builds a {@link ConsentPolicy}. Not thread-safe. */
  public static final class Builder {
    private final Purpose purpose;
    private Period expiry;
    private boolean directMarketing;
    private boolean optOutExcludes;
    private String minimumNotice;

    private Builder(Purpose purpose) {
      this.purpose = purpose;
    }

    /** Consent lapses this long after it was given (e.g. 24 months). */
    public Builder consentExpiresAfter(Period period) {
      Checks.notNull(period, "consent expiry");
      Checks.check(!period.isNegative() && !period.isZero(),
          "consent expiry must be a positive period but was %s", period);
      this.expiry = period;
      return this;
    }

    /** The purpose is direct marketing: an objection excludes whatever the basis (Art. 21(3)). */
    public Builder directMarketing(boolean directMarketing) {
      this.directMarketing = directMarketing;
      return this;
    }

    /** An opt-out of sale or sharing (CCPA/CPRA, GPC) excludes the subject from this purpose. */
    public Builder optOutOfSaleOrSharingExcludes(boolean excludes) {
      this.optOutExcludes = excludes;
      return this;
    }

    /**
     * Consent given under a notice version that sorts before {@code version} does not count
     * (versions compare as strings: use sortable names such as {@code 2026-01}).
     */
    public Builder minimumNoticeVersion(String version) {
      this.minimumNotice = Checks.notBlank(version, "minimum notice version");
      return this;
    }

    /** The policy. */
    public ConsentPolicy build() {
      return new ConsentPolicy(purpose, Optional.ofNullable(expiry), directMarketing,
          optOutExcludes, Optional.ofNullable(minimumNotice));
    }
  }
}
