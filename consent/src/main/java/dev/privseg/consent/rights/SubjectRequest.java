package dev.privseg.consent.rights;

import dev.privseg.core.Checks;
import java.time.Duration;
import java.time.Instant;

/**
 * The record of one data subject request: what was asked, when, its time limit, where it stands,
 * who handled it and what was done. It names the subject only by a key (hex) and holds no
 * personal values. Once the subject is erased, its entries (and every later one about it) hold
 * {@link #UNLINKED} instead, so that nothing in the log links the records that remain to the
 * person.
 *
 * @param requestId a random identifier
 * @param type what was asked
 * @param subjectKey the subject's key, hex, or {@link #UNLINKED} for an erased subject
 * @param receivedAt when the request was received
 * @param actor who handled it last
 * @param outcome what was done, e.g. {@code "exported 4 events, 1 pseudonym, 2 memberships"}
 * @param status where it stands
 * @param regime the law whose time limit it runs under; null only for a request logged before
 *     the consent database tracked deadlines (schema version 15), which was handled on receipt
 * @param dueAt the first instant past its time limit (see {@link RequestRegime}); null as
 *     {@code regime} is
 * @param extension why its time limit was extended, or null if it was not
 * @param closedAt when it was answered, or null while it is open
 */
public record SubjectRequest(String requestId, RequestType type, String subjectKey,
    Instant receivedAt, String actor, String outcome, RequestStatus status,
    RequestRegime regime, Instant dueAt, String extension, Instant closedAt) {
  /** The subject key of every entry about a subject since erased. */
  public static final String UNLINKED = "0".repeat(32);

  /** Checks the entry. */
  public SubjectRequest {
    Checks.notBlank(requestId, "request id");
    Checks.notNull(type, "request type");
    Checks.notNull(subjectKey, "subject key");
    Checks.notNull(receivedAt, "received time");
    Checks.notNull(actor, "actor");
    Checks.notNull(outcome, "outcome");
    Checks.notNull(status, "status");
    Checks.check((regime == null) == (dueAt == null),
        "a request's regime and due time are given together");
    Checks.check(status.isOpen() == (closedAt == null),
        "an open request has no closing time and an answered one has one");
    Checks.check(regime != null || !status.isOpen(), "an open request has a time limit");
    Checks.check(closedAt == null || !closedAt.isBefore(receivedAt),
        "a request is answered after it is received");
  }

  /** Whether the request still awaits its answer. */
  public boolean isOpen() {
    return status.isOpen();
  }

  /** Whether the request is open at {@code now} with its time limit past. */
  public boolean isOverdue(Instant now) {
    return isOpen() && !now.isBefore(dueAt);
  }

  /** Whether the request is open, not overdue at {@code now}, and due within {@code window}. */
  public boolean isDueWithin(Instant now, Duration window) {
    return isOpen() && now.isBefore(dueAt) && !now.plus(window).isBefore(dueAt);
  }

  /** Whether the request was answered after its time limit. */
  public boolean wasAnsweredLate() {
    return !isOpen() && dueAt != null && !closedAt.isBefore(dueAt);
  }

  /** This entry with its subject key replaced by {@link #UNLINKED}. */
  public SubjectRequest unlinked() {
    return new SubjectRequest(requestId, type, UNLINKED, receivedAt, actor, outcome, status,
        regime, dueAt, extension, closedAt);
  }

  /** This entry answered at {@code at} by {@code actor}: its status, outcome and closing time. */
  SubjectRequest answered(RequestStatus answer, Instant at, String by, String what) {
    return new SubjectRequest(requestId, type, subjectKey, receivedAt, by, what, answer, regime,
        dueAt, extension, at);
  }

  /** This open entry with its time limit extended to {@code due} for {@code reason}. */
  SubjectRequest extended(Instant due, String reason, String by) {
    return new SubjectRequest(requestId, type, subjectKey, receivedAt, by, outcome,
        RequestStatus.EXTENDED, regime, due, reason, null);
  }
}
