package dev.privseg.consent;

import dev.privseg.core.Checks;
import java.time.Instant;

/**
 * What a status snapshot holds, besides its parts: every subject's consent state for one purpose,
 * folded under one policy from the ledger's events up to one position and instant, and the
 * consents given, withdrawn and lapsed each week until then. A compliance status that finds one
 * reads it and only the events appended since ({@link ComplianceMonitor.Builder#snapshots}).
 * Holds ledger keys and states in its parts, never an identifier; this header holds no personal
 * data.
 *
 * @param id the snapshot's id in its store
 * @param purpose the purpose's id
 * @param policy the policy the states were folded under ({@link ConsentPolicy#summary()})
 * @param headSequence the sequence number of the last event folded in (0 for an empty ledger)
 * @param headHash that event's hash, so that a rewritten ledger is not read through it
 * @param foldedAt the instant the states hold at: events that took effect later are not in them
 * @param takenAt when the snapshot was made
 * @param subjects the number of subjects it holds
 * @param digest the SHA-256 of its parts, checked when they are read
 */
public record StatusSnapshot(long id, String purpose, String policy, long headSequence,
    String headHash, Instant foldedAt, Instant takenAt, long subjects, String digest) {

  /** Checks the values. */
  public StatusSnapshot {
    Checks.notBlank(purpose, "purpose");
    Checks.notBlank(policy, "policy");
    Checks.check(headSequence >= 0, "head sequence must not be negative");
    Checks.notNull(headHash, "head hash");
    Checks.notNull(foldedAt, "folded at");
    Checks.notNull(takenAt, "taken at");
    Checks.check(subjects >= 0, "subjects must not be negative");
    Checks.notBlank(digest, "digest");
  }
}
