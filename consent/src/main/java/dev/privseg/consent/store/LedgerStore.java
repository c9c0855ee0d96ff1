package dev.privseg.consent.store;

import dev.privseg.consent.ledger.ConsentEvent;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.core.PurposeId;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where ledger events live. Append-only: no method changes or removes an event.
 *
 * <p>Contract for every implementation (checked by one contract test suite against each store):
 * thread-safe; {@link #append} is atomic (all drafts of a call are stored, chained with
 * {@link dev.privseg.consent.ledger.EventChain#link}, or none is) and serialized with every other
 * append, also across processes for shared stores; events read back equal the events appended.
 */
public interface LedgerStore extends AutoCloseable {

  /** Appends {@code drafts} in order as one atomic batch recorded at {@code recordedAt}. */
  List<ConsentEvent> append(List<EventDraft> drafts, Instant recordedAt);

  /**
   * The events of {@code subject} that concern {@code purpose} (directly or for all purposes) and
   * took effect at or before {@code upTo}, in order of effect (then ledger order).
   */
  List<ConsentEvent> history(SubjectKey subject, PurposeId purpose, Instant upTo);

  /** Every event of {@code subject}, for any purpose, in order of effect. */
  List<ConsentEvent> history(SubjectKey subject);

  /** Visits every event in ledger (sequence) order. */
  void scan(Consumer<ConsentEvent> visitor);

  /** The number of events. */
  long size();

  /** A description for records and messages, without credentials or personal data. */
  String description();

  /**
   * Records {@code scheme} as the scheme subjects are keyed with, unless the store already has
   * one (recorded, or implied by subjects stored before schemes were recorded), and returns the
   * scheme in force. A ledger adopts it, so a store keeps its keys whatever keyer opens it.
   */
  String adoptSubjectKeyScheme(String scheme);

  /** Releases the store's resources. */
  @Override
  void close();
}
