package dev.privseg.consent.ledger;

import dev.privseg.core.Checks;
import dev.privseg.core.PurposeId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * An event before the ledger appends it (and gives it a sequence number and a hash). Instants are
 * kept to the millisecond, the precision every store preserves. {@code toString()} is redacted.
 *
 * @param subject the subject's ledger key
 * @param purpose the purpose, or {@link ConsentEvent#ALL_PURPOSES} for an event about every
 *     purpose (erasure, restriction of all processing, a GPC opt-out); never for a consent, which
 *     is specific to its purpose
 * @param type what happened
 * @param occurredAt when it took effect
 * @param source where it came from
 * @param noticeVersion the privacy notice version the subject saw ("" if none)
 * @param actor who recorded it (a user name or system name, not the subject's identity)
 * @param proofReference where the proof is kept, e.g. a form submission id ("" if none)
 */
public record EventDraft(SubjectKey subject, PurposeId purpose, EventType type,
    Instant occurredAt, EventSource source, String noticeVersion, String actor,
    String proofReference) {

  /** Validates the draft and truncates the instant to milliseconds. */
  public EventDraft {
    Checks.notNull(subject, "subject");
    Checks.notNull(purpose, "purpose");
    Checks.notNull(type, "type");
    Checks.check(!(type.givesConsent() && purpose.equals(ConsentEvent.ALL_PURPOSES)),
        "a consent must be given for one specific purpose (GDPR Art. 4(11), 6(1)(a)), not for "
            + "'%s': record one consent per purpose", ConsentEvent.ALL_PURPOSES);
    Checks.notNull(occurredAt, "occurredAt");
    occurredAt = occurredAt.truncatedTo(ChronoUnit.MILLIS);
    Checks.notNull(source, "source");
    Checks.notNull(noticeVersion, "noticeVersion");
    Checks.notBlank(actor, "actor");
    Checks.notNull(proofReference, "proofReference");
    Checks.check(noticeVersion.length() <= 64 && actor.length() <= 128
        && proofReference.length() <= 256,
        "noticeVersion (64), actor (128) and proofReference (256) exceed their maximum lengths");
  }

  /** A draft with no notice version or proof reference. */
  public static EventDraft of(SubjectKey subject, PurposeId purpose, EventType type,
      Instant occurredAt, EventSource source, String actor) {
    return new EventDraft(subject, purpose, type, occurredAt, source, "", actor, "");
  }

  @Override
  public String toString() {
    return "EventDraft[" + type + ", purpose " + purpose + ", at " + occurredAt + "]";
  }
}
