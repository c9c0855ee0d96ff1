package dev.privseg.consent.ledger;

import dev.privseg.consent.ConsentException;
import dev.privseg.consent.directory.SubjectDirectory;
import dev.privseg.consent.store.InMemoryLedgerStore;
import dev.privseg.consent.store.LedgerStore;
import dev.privseg.core.Checks;
import dev.privseg.core.PurposeId;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pseudonymize.KeyException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The append-only, hash-chained ledger of consent events over a {@link LedgerStore}. Subjects are
 * named by their {@link SubjectKey} (a keyed hash), never by their raw identifier. The state of
 * any subject for any purpose at any instant, past included, is derived from the events.
 * Thread-safe.
 *
 * <pre>{@code
 * ConsentLedger ledger = ConsentLedger.inMemory(SubjectKeyer.from(keys));
 * SubjectKey alice = ledger.keyOf(SubjectId.of("C1001"));
 * ledger.append(new EventDraft(alice, purpose, EventType.CONSENT_GIVEN, given,
 *     EventSource.WEB_FORM, "privacy-notice-v3", "signup-form", "form-7781"));
 * ledger.state(alice, purpose, Instant.parse("2026-03-01T00:00:00Z")).hasConsent();
 * }</pre>
 */
public final class ConsentLedger {
  private final LedgerStore store;
  private final SubjectKeyer keyer;
  private final Clock clock;
  private final SubjectDirectory directory; // null: events are keyed by the lookup key itself

  private ConsentLedger(LedgerStore store, SubjectKeyer keyer, Clock clock,
      SubjectDirectory directory) {
    this.store = store;
    // The store knows its key: under another one no subject, and no erasure, is recognized (an
    // erased subject would come back as a stranger).
    if (!store.adoptKeyCheckValue(keyer.checkValue()).equals(keyer.checkValue())) {
      throw new KeyException("key " + keyer.keyId() + " is not the key the "
          + store.description() + " was keyed with (its key check value differs): use the "
          + "database's own key (check PRIVSEG_KEY or --key-env); privseg does not rotate the "
          + "key of a consent database");
    }
    // The store's scheme wins: a database keeps the keys it was written with.
    this.keyer = keyer.withScheme(SubjectKeyer.Scheme.of(
        store.adoptSubjectKeyScheme(keyer.scheme().label())));
    this.clock = clock;
    this.directory = directory;
  }

  /**
   * A ledger over {@code store}, keying subjects with {@code keyer}, using the UTC clock. The
   * store records the key's {@link SubjectKeyer#checkValue() check value} the first time and
   * refuses any other key after.
   *
   * @throws KeyException if {@code store} was keyed with another key
   */
  public static ConsentLedger open(LedgerStore store, SubjectKeyer keyer) {
    return open(store, keyer, Clock.systemUTC());
  }

  /** A ledger over {@code store}; {@code clock} stamps {@code recordedAt} (tests fix it). */
  public static ConsentLedger open(LedgerStore store, SubjectKeyer keyer, Clock clock) {
    return new ConsentLedger(Checks.notNull(store, "store"), Checks.notNull(keyer, "keyer"),
        Checks.notNull(clock, "clock"), null);
  }

  /**
   * A ledger whose subjects are recorded under the random keys of {@code directory}, so that
   * erasing a subject ({@link #erase}) makes its events and pseudonym unlinkable.
   */
  public static ConsentLedger open(LedgerStore store, SubjectKeyer keyer,
      SubjectDirectory directory) {
    return new ConsentLedger(Checks.notNull(store, "store"), Checks.notNull(keyer, "keyer"),
        Clock.systemUTC(), Checks.notNull(directory, "directory"));
  }

  /** A ledger in memory. */
  public static ConsentLedger inMemory(SubjectKeyer keyer) {
    return open(new InMemoryLedgerStore(), keyer);
  }

  /**
   * The ledger key of {@code subject}, under which its events are recorded. With a directory, a
   * subject seen for the first time gets fresh random keys; an erased subject has none, and
   * asking throws {@link ConsentException}: nothing more is recorded about it.
   */
  public SubjectKey keyOf(SubjectId subject) {
    SubjectKey lookup = keyer.key(subject);
    if (directory == null) {
      return lookup;
    }
    return directory.entry(lookup, true).map(SubjectDirectory.Entry::ledgerKey)
        .orElseThrow(() -> new ConsentException("the subject was erased: no event is recorded "
            + "for it"));
  }

  /**
   * The ledger keys of {@code subjects}, in order, as {@link #keyOf} gives each, except that an
   * erased subject gets an empty key instead of an exception: what an import of many events
   * needs, in a few database round trips per few hundred subjects
   * ({@link SubjectDirectory#entries}).
   */
  public List<Optional<SubjectKey>> keysOf(List<SubjectId> subjects) {
    List<SubjectKey> lookups = keyer.keys(Checks.notNull(subjects, "subjects"));
    List<Optional<SubjectKey>> out = new ArrayList<>(lookups.size());
    if (directory == null) {
      lookups.forEach(k -> out.add(Optional.of(k)));
      return out;
    }
    directory.entries(lookups, true)
        .forEach(e -> out.add(e.map(SubjectDirectory.Entry::ledgerKey)));
    return out;
  }

  /** The ledger key of {@code subject} if it has one; never creates one. */
  public Optional<SubjectKey> existingKeyOf(SubjectId subject) {
    SubjectKey lookup = keyer.key(subject);
    if (directory == null) {
      return Optional.of(lookup);
    }
    return directory.entry(lookup, false).map(SubjectDirectory.Entry::ledgerKey);
  }

  /** Whether {@code subject} was erased through a directory. */
  public boolean isErased(SubjectId subject) {
    return directory != null && directory.isErased(keyer.key(subject));
  }

  /** The subject directory, if this ledger keys subjects through one. */
  public Optional<SubjectDirectory> directory() {
    return Optional.ofNullable(directory);
  }

  /**
   * Erases {@code subject} (GDPR Art. 17): appends a terminal erasure event for every purpose,
   * then, with a directory, deletes the subject's keys and leaves a tombstone, so its earlier
   * events (kept in the hash chain as a non-identifying record) and its pseudonyms can no longer
   * be linked to it, and every later run excludes it. Returns the erasure event.
   */
  public Optional<ConsentEvent> erase(SubjectId subject, Instant at, String actor) {
    SubjectKey lookup = keyer.key(subject);
    Optional<SubjectKey> key = directory == null ? Optional.of(lookup)
        : directory.entry(lookup, false).map(SubjectDirectory.Entry::ledgerKey);
    Optional<ConsentEvent> proof = key.map(k -> append(new EventDraft(k,
        ConsentEvent.ALL_PURPOSES, EventType.ERASURE, at, EventSource.SUBJECT_REQUEST, "", actor,
        "")));
    if (directory != null) {
      directory.erase(lookup);
    }
    return proof;
  }

  /** The keyer (for gates that key input rows themselves). */
  public SubjectKeyer keyer() {
    return keyer;
  }

  /** Appends one event. */
  public ConsentEvent append(EventDraft draft) {
    return store.append(List.of(draft), clock.instant()).get(0);
  }

  /** Appends events as one atomic batch: all of them are stored, or none. */
  public List<ConsentEvent> appendAll(List<EventDraft> drafts) {
    Checks.check(!drafts.isEmpty(), "a batch needs at least one event");
    return store.append(drafts, clock.instant());
  }

  /** The state of {@code subject} for {@code purpose} at {@code at}. */
  public ConsentState state(SubjectKey subject, PurposeId purpose, Instant at) {
    return ConsentState.fold(store.history(subject, purpose, at), at);
  }

  /** The state of {@code subject} for {@code purpose} at {@code at}. */
  public ConsentState state(SubjectId subject, PurposeId purpose, Instant at) {
    if (isErased(subject)) {
      return ERASED;
    }
    return existingKeyOf(subject).map(k -> state(k, purpose, at)).orElse(ConsentState.UNKNOWN);
  }

  /** The state of an erased subject. */
  static final ConsentState ERASED = new ConsentState(Optional.empty(), false, "", false, false,
      false, false, false, false, false, true);

  /** Every event about {@code subject}, in order of effect. */
  public List<ConsentEvent> history(SubjectKey subject) {
    return store.history(subject);
  }

  /** The number of events. */
  public long size() {
    return store.size();
  }

  /** The store's description (no credentials, no personal data). */
  public String description() {
    return store.description();
  }

  /** Visits every event in ledger order. */
  public void scan(java.util.function.Consumer<ConsentEvent> visitor) {
    store.scan(visitor);
  }

  /** Visits, in ledger order, every event from sequence number {@code from} on. */
  public void scanFrom(long from, java.util.function.Consumer<ConsentEvent> visitor) {
    store.scanFrom(from, Checks.notNull(visitor, "visitor"));
  }

  /**
   * Visits, in ledger order, what the state of each subject for {@code purpose} at {@code upTo}
   * is derived from: see {@link LedgerStore#scanEffects}. Subjects appear by their ledger keys.
   */
  public void scanEffects(PurposeId purpose, Instant upTo, LedgerStore.EffectVisitor visitor) {
    store.scanEffects(Checks.notNull(purpose, "purpose"), Checks.notNull(upTo, "upTo"),
        Checks.notNull(visitor, "visitor"));
  }

  /** The purposes the ledger holds events for, sorted. */
  public List<PurposeId> purposes() {
    return store.purposes();
  }

  /**
   * Checks the whole hash chain: sequence numbers without gaps, each event's previous hash equal
   * to the hash of the event before, and each hash equal to the hash of the event's fields.
   * Reports the first broken link.
   */
  public Verification verify() {
    return verify(store);
  }

  /**
   * Checks the whole hash chain as {@link #verify()} does, and shows {@code each} every event
   * in sequence order as it is checked, up to the first broken link: one pass over the ledger
   * both checks it and counts what it holds (a compliance status does).
   */
  public Verification verify(Consumer<ConsentEvent> each) {
    return verify(store, null, Checks.notNull(each, "each"));
  }

  /**
   * Checks the hash chain of the ledger in {@code store}, as {@link #verify()} does. Needs no
   * key: anyone who can read the store (an auditor, the {@code privseg consent verify} command)
   * can check that no event was altered, removed or reordered.
   */
  public static Verification verify(LedgerStore store) {
    return verify(store, null);
  }

  /**
   * Checks the hash chain as {@link #verify(LedgerStore)} does, and that the ledger still holds
   * the event of {@code checkpoint} (kept outside the database by an earlier verification) with
   * the same hash: this detects events removed from the end, and a chain rewritten with its
   * hashes recomputed, up to the checkpoint.
   *
   * @param checkpoint an earlier {@link Verification#head()}, or null for none
   */
  public static Verification verify(LedgerStore store, Checkpoint checkpoint) {
    return verify(store, checkpoint, e -> { });
  }

  /** Checks this ledger from {@code trusted} on, as {@link #verifySince(LedgerStore, Checkpoint)}. */
  public Verification verifySince(Checkpoint trusted) {
    return verifySince(store, trusted);
  }

  /**
   * Checks the ledger from a checkpoint on, without re-reading what came before it: the ledger
   * must still hold {@code trusted}'s event, unchanged and with the checkpoint's hash, and an
   * intact chain from it to its last event. This catches events removed from the end and any
   * rewrite that recomputed the hashes up to the checkpoint (the checkpoint's hash changes), and
   * any change after it; an event before the checkpoint altered without its hashes recomputed
   * shows only in a whole check ({@link #verify(LedgerStore, Checkpoint)}), so run one on a
   * schedule. {@link Verification#eventsChecked()} counts the events read; the cost is that of
   * the events since the checkpoint.
   *
   * @param trusted a checkpoint kept outside the database (a signed one's head, once its
   *     signature was checked)
   */
  public static Verification verifySince(LedgerStore store, Checkpoint trusted) {
    Checks.notNull(store, "store");
    Checks.notNull(trusted, "trusted");
    long[] checked = {0};
    long[] last = {0};
    String[] previous = {null};
    Verification[] broken = {null};
    store.scanFrom(trusted.sequence(), e -> {
      if (broken[0] != null) {
        return;
      }
      checked[0]++;
      long expected = trusted.sequence() + checked[0] - 1;
      String problem = null;
      if (e.sequence() != expected) {
        problem = "sequence " + e.sequence() + " where " + expected + " was expected";
      } else if (!e.hash().equals(EventChain.hash(e))) {
        problem = "hash does not match the event's contents";
      } else if (previous[0] == null && !e.hash().equals(trusted.hash())) {
        problem = "hash differs from the checkpoint's: the chain up to this event was rewritten";
      } else if (previous[0] != null && !e.previousHash().equals(previous[0])) {
        problem = "previous hash does not match the hash of event " + (e.sequence() - 1);
      }
      if (problem != null) {
        broken[0] = new Verification(false, checked[0], e.sequence(), problem, Optional.empty());
        return;
      }
      previous[0] = e.hash();
      last[0] = e.sequence();
    });
    if (broken[0] != null) {
      return broken[0];
    }
    if (checked[0] == 0) {
      long size = store.size();
      return new Verification(false, 0, size + 1, "the ledger ends at event " + size
          + " but the checkpoint holds event " + trusted.sequence()
          + ": events were removed from the end", Optional.empty());
    }
    return new Verification(true, checked[0], 0, "",
        Optional.of(new Checkpoint(last[0], previous[0])));
  }

  private static Verification verify(LedgerStore store, Checkpoint checkpoint,
      Consumer<ConsentEvent> each) {
    Checks.notNull(store, "store");
    long[] checked = {0};
    String[] previous = {EventChain.GENESIS};
    Verification[] broken = {null};
    store.scan(e -> {
      if (broken[0] != null) {
        return;
      }
      checked[0]++;
      String problem = null;
      if (e.sequence() != checked[0]) {
        problem = "sequence " + e.sequence() + " where " + checked[0] + " was expected";
      } else if (!e.previousHash().equals(previous[0])) {
        problem = "previous hash does not match the hash of event " + (e.sequence() - 1);
      } else if (!e.hash().equals(EventChain.hash(e))) {
        problem = "hash does not match the event's contents";
      } else if (checkpoint != null && e.sequence() == checkpoint.sequence()
          && !e.hash().equals(checkpoint.hash())) {
        problem = "hash differs from the checkpoint's: the chain up to this event was rewritten";
      }
      if (problem != null) {
        broken[0] = new Verification(false, checked[0], e.sequence(), problem, Optional.empty());
        return;
      }
      each.accept(e);
      previous[0] = e.hash();
    });
    if (broken[0] != null) {
      return broken[0];
    }
    Optional<Checkpoint> head = checked[0] == 0 ? Optional.empty()
        : Optional.of(new Checkpoint(checked[0], previous[0]));
    if (checkpoint != null && checked[0] < checkpoint.sequence()) {
      return new Verification(false, checked[0], checked[0] + 1, "the ledger ends at event "
          + checked[0] + " but the checkpoint holds event " + checkpoint.sequence()
          + ": events were removed from the end", head);
    }
    return new Verification(true, checked[0], 0, "", head);
  }

  @Override
  public String toString() {
    return "ConsentLedger[" + store.description() + "]";
  }
}
