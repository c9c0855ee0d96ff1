package dev.privseg.consent.ledger;

/**
 * The outcome of checking the hash chain.
 *
 * @param intact whether every link holds
 * @param eventsChecked events checked
 * @param firstBrokenSequence the sequence number of the first event that breaks the chain (0 if
 *     intact)
 * @param problem what is wrong with it ("" if intact)
 */
public record Verification(boolean intact, long eventsChecked, long firstBrokenSequence,
    String problem) {}
