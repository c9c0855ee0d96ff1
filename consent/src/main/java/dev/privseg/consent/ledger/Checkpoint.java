package dev.privseg.consent.ledger;

import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import java.util.regex.Pattern;

/**
 * A point of the ledger's hash chain: an event's sequence number and its hash, written
 * {@code SEQUENCE:HASH}. The chain alone cannot show that events were removed from its end, or
 * that it was rewritten with every later hash recomputed (its hashes are unkeyed). A checkpoint
 * kept outside the database (in a ticket, an e-mail to the DPO, a write-once store) can: a later
 * {@link ConsentLedger#verify(dev.privseg.consent.store.LedgerStore, Checkpoint)} fails unless
 * the ledger still holds that event with that hash.
 *
 * @param sequence the event's sequence number (from 1)
 * @param hash the event's hash, 64 lower-case hexadecimal digits
 */
public record Checkpoint(long sequence, String hash) {
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

  /** Validates the checkpoint. */
  public Checkpoint {
    Checks.check(sequence >= 1, "a checkpoint's sequence number must be at least 1 but was %s",
        sequence);
    Checks.notNull(hash, "hash");
    Checks.check(HASH.matcher(hash).matches(),
        "a checkpoint's hash must be 64 lower-case hexadecimal digits");
  }

  /**
   * The checkpoint written {@code SEQUENCE:HASH}, as {@link #toString()} writes it.
   *
   * @throws ConfigurationException if the text is not of that form (the text is not quoted)
   */
  public static Checkpoint parse(String text) {
    Checks.notNull(text, "checkpoint");
    int colon = text.indexOf(':');
    long sequence;
    try {
      sequence = colon < 1 || colon > 18 || !text.substring(0, colon).chars()
          .allMatch(c -> c >= '0' && c <= '9') ? -1 : Long.parseLong(text.substring(0, colon));
    } catch (NumberFormatException e) {
      sequence = -1;
    }
    if (sequence < 1 || !HASH.matcher(text.substring(colon + 1)).matches()) {
      throw new ConfigurationException("a checkpoint must be written SEQUENCE:HASH (an event's "
          + "sequence number, a colon and its 64-digit hexadecimal hash, as 'consent verify' "
          + "prints it)");
    }
    return new Checkpoint(sequence, text.substring(colon + 1));
  }

  /** {@code SEQUENCE:HASH}. */
  @Override
  public String toString() {
    return sequence + ":" + hash;
  }
}
