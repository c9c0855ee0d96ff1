package dev.privseg.consent.directory;

import dev.privseg.consent.ledger.SubjectKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The mapping that makes erasure real (GDPR Art. 17): for each subject, found by the keyed hash
 * of its identifier (the lookup key), a random ledger key under which its consent events are
 * recorded and a random pseudonym under which it appears in outputs. Erasing a subject deletes
 * its mapping and keeps only a tombstone of the lookup key, so that later runs exclude it:
 * the events stay in the hash chain as a non-identifying record that consents existed and were
 * erased, and the pseudonyms in earlier outputs can no longer be linked to anyone.
 *
 * <p>Implementations are thread-safe; {@link #entry} with {@code create} is atomic (two callers
 * get the same entry).
 */
public interface SubjectDirectory extends AutoCloseable {

  /**
   * A subject's random keys.
   *
   * @param ledgerKey the key its ledger events are recorded under
   * @param pseudonym the pseudonym it appears under in outputs
   */
  record Entry(SubjectKey ledgerKey, String pseudonym) {
    /** A new entry of fresh random keys: 128 bits of ledger key, 256 bits of pseudonym. */
    public static Entry random(SecureRandom random) {
      byte[] pseudonym = new byte[32];
      random.nextBytes(pseudonym);
      return new Entry(new SubjectKey(random.nextLong(), random.nextLong()),
          Base64.getUrlEncoder().withoutPadding().encodeToString(pseudonym));
    }

    @Override
    public String toString() {
      return "Entry[redacted]";
    }
  }

  /**
   * The entry of {@code lookup}; when absent and {@code create} is true, a new one with fresh
   * random keys. Empty for an erased subject (whatever {@code create} says) and for an absent one
   * when {@code create} is false.
   */
  Optional<Entry> entry(SubjectKey lookup, boolean create);

  /**
   * The entries of {@code lookups}, in order: for each what {@link #entry} with the same
   * {@code create} gives (a lookup may appear more than once, and gets one entry). What a run or
   * an import of many subjects asks: a database directory answers it in a few round trips per
   * few hundred subjects and creates the missing entries in one transaction per such chunk,
   * where asking one by one would cost round trips, and a commit, per subject. This default
   * asks one by one.
   */
  default List<Optional<Entry>> entries(List<SubjectKey> lookups, boolean create) {
    List<Optional<Entry>> out = new ArrayList<>(lookups.size());
    for (SubjectKey lookup : lookups) {
      out.add(entry(lookup, create));
    }
    return out;
  }

  /** Deletes the entry of {@code lookup} and leaves a tombstone; false if it had no entry. */
  boolean erase(SubjectKey lookup);

  /** Whether {@code lookup} was erased. */
  boolean isErased(SubjectKey lookup);

  /** The number of live entries (erased subjects not counted). */
  long size();

  /** Visits every live entry. */
  void forEach(BiConsumer<SubjectKey, Entry> visitor);

  /** A live entry's lookup and ledger keys, as {@link #forEachLedgerKey} visits them. */
  @FunctionalInterface
  interface KeyVisitor {
    /** One live entry's keys. */
    void visit(long lookupHigh, long lookupLow, long ledgerHigh, long ledgerLow);
  }

  /**
   * Visits every live entry's lookup and ledger keys, without its pseudonym: what a gate needs to
   * decide every subject. This default goes through {@link #forEach}; a database directory reads
   * only those columns.
   */
  default void forEachLedgerKey(KeyVisitor visitor) {
    forEach((lookup, entry) -> visitor.visit(lookup.high(), lookup.low(),
        entry.ledgerKey().high(), entry.ledgerKey().low()));
  }

  /** Visits every tombstone. */
  void forEachErased(java.util.function.Consumer<SubjectKey> visitor);

  /** A description without credentials or personal data. */
  String description();

  /** Releases resources. */
  @Override
  void close();
}
