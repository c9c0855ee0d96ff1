package dev.privseg.consent;

import dev.privseg.consent.ledger.Verification;
import java.util.List;

/**
 * The outcome of checking a consent database against a {@link SignedCheckpoint} whose
 * signature held.
 *
 * @param holds whether the ledger still holds the checkpoint's head, its chain is intact, and
 *     every run still registered has the record digest the checkpoint sealed
 * @param problem what is wrong ("" if it holds)
 * @param ledger the check of the ledger's hash chain against the checkpoint's head; its
 *     {@link Verification#head()} is the head to seal in the next checkpoint
 * @param runsRewritten runs whose registration no longer has the sealed record digest
 * @param runsForgotten runs sealed by the checkpoint that are no longer registered: forgotten
 *     since (storage limitation does so, {@code forget-run}); listed for the auditor to account
 *     for, not counted as a failure
 */
public record CheckpointCheck(boolean holds, String problem, Verification ledger,
    List<String> runsRewritten, List<String> runsForgotten) {

  /** Copies the lists. */
  public CheckpointCheck {
    runsRewritten = List.copyOf(runsRewritten);
    runsForgotten = List.copyOf(runsForgotten);
  }
}
