package dev.privseg.consent.ledger;

import dev.privseg.core.PurposeId;
import java.time.Instant;

/**
 * One immutable, appended ledger event. {@link #hash()} is the SHA-256 of the event's canonical
 * form including {@link #previousHash()}, so changing, removing or reordering any event breaks
 * every later link (see {@link ConsentLedger#verify()}). {@code toString()} is redacted.
 *
 * @param sequence position in the ledger, from 1, without gaps
 * @param subject the subject's ledger key
 * @param purpose the purpose, or {@link #ALL_PURPOSES}
 * @param type what happened
 * @param occurredAt when it took effect (milliseconds)
 * @param recordedAt when the ledger appended it (milliseconds)
 * @param source where it came from
 * @param noticeVersion the privacy notice version ("" if none)
 * @param actor who recorded it
 * @param proofReference where the proof is kept ("" if none)
 * @param previousHash the hash of the event before ({@link EventChain#GENESIS} for the first)
 * @param hash this event's hash
 */
public record ConsentEvent(long sequence, SubjectKey subject, PurposeId purpose, EventType type,
    Instant occurredAt, Instant recordedAt, EventSource source, String noticeVersion, String actor,
    String proofReference, String previousHash, String hash) {

  /** The reserved purpose id of events that concern every purpose. */
  public static final PurposeId ALL_PURPOSES = PurposeId.of("all-purposes");

  /**
   * Whether this event concerns {@code purpose}: directly, or as an all-purposes event other than
   * a consent. GDPR consent is specific to a purpose (Art. 4(11), 6(1)(a)): a blanket consent
   * cannot be recorded ({@link EventDraft} refuses it), and one in a ledger written before that
   * grants nothing.
   */
  public boolean concerns(PurposeId purpose) {
    return this.purpose.equals(purpose)
        || this.purpose.equals(ALL_PURPOSES) && !type.givesConsent();
  }

  @Override
  public String toString() {
    return "ConsentEvent[#" + sequence + ", " + type + ", purpose " + purpose + ", at "
        + occurredAt + "]";
  }
}
