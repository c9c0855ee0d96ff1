package dev.privseg.consent.rights;

import java.time.Instant;

/**
 * The record of one data subject request: what was asked, when, who handled it and what was done.
 * It names the subject only by its ledger key (hex) and holds no personal values.
 *
 * @param requestId a random identifier
 * @param type what was asked
 * @param subjectKey the subject's ledger key, hex
 * @param receivedAt when the request was made
 * @param actor who handled it
 * @param outcome what was done, e.g. {@code "exported 4 events, 1 pseudonym, 2 memberships"}
 */
public record SubjectRequest(String requestId, RequestType type, String subjectKey,
    Instant receivedAt, String actor, String outcome) {}
