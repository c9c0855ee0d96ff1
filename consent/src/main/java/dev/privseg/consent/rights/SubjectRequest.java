package dev.privseg.consent.rights;

import java.time.Instant;

/**
 * The record of one data subject request: what was asked, when, who handled it and what was done.
 * It names the subject only by a key (hex) and holds no personal values. Once the subject is
 * erased, its entries (and every later one about it) hold {@link #UNLINKED} instead, so that
 * nothing in the log links the records that remain to the person.
 *
 * @param requestId a random identifier
 * @param type what was asked
 * @param subjectKey the subject's key, hex, or {@link #UNLINKED} for an erased subject
 * @param receivedAt when the request was made
 * @param actor who handled it
 * @param outcome what was done, e.g. {@code "exported 4 events, 1 pseudonym, 2 memberships"}
 */
public record SubjectRequest(String requestId, RequestType type, String subjectKey,
    Instant receivedAt, String actor, String outcome) {
  /** The subject key of every entry about a subject since erased. */
  public static final String UNLINKED = "0".repeat(32);

  /** This entry with its subject key replaced by {@link #UNLINKED}. */
  public SubjectRequest unlinked() {
    return new SubjectRequest(requestId, type, UNLINKED, receivedAt, actor, outcome);
  }
}
