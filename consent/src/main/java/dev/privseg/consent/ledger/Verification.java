package dev.privseg.consent.ledger;

import java.util.Optional;

/**
 * The outcome of checking the hash chain.
 *
 * <p>What an intact chain shows: no event before the last was altered, removed or reordered
 * without every later hash being recomputed, and, when a {@link Checkpoint} was given, that the
 * ledger still holds the checkpoint's event unchanged (so nothing up to it was removed or
 * rewritten). What it cannot show: that events after the last checkpoint were not removed from
 * the end, or rewritten with their hashes recomputed; keep the {@link #head()} of each
 * verification outside the database as the next checkpoint.
 *
 * @param intact whether every link holds (and the checkpoint, if one was given)
 * @param eventsChecked events checked
 * @param firstBrokenSequence the sequence number of the first event that breaks the chain (0 if
 *     intact)
 * @param problem what is wrong with it ("" if intact)
 * @param head the last event of the chain as a checkpoint (empty if the ledger has no event)
 */
public record Verification(boolean intact, long eventsChecked, long firstBrokenSequence,
    String problem, Optional<Checkpoint> head) {}
