package dev.privseg.consent.store;

import dev.privseg.consent.ledger.ConsentEvent;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventType;
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

  /**
   * What a subject's state for a purpose is derived from, for one event: its subject's ledger
   * key, its type, when it took effect (epoch milliseconds) and its notice version. Primitive
   * and narrow, so that deciding a million subjects does not build a million events.
   */
  @FunctionalInterface
  interface EffectVisitor {
    /** One event; see {@link LedgerStore#scanEffects}. */
    void visit(long subjectHigh, long subjectLow, EventType type, long occurredAtMillis,
        String noticeVersion);
  }

  /**
   * Visits, in ledger (sequence) order, the events that concern {@code purpose} (directly or for
   * all purposes) and took effect at or before {@code upTo}: exactly those {@link #scan} visits
   * that {@link ConsentEvent#concerns} the purpose and did not occur after {@code upTo}, with the
   * fields {@link dev.privseg.consent.ledger.ConsentState} is derived from. This default filters
   * {@link #scan}; a database store reads only those rows and columns.
   */
  default void scanEffects(PurposeId purpose, Instant upTo, EffectVisitor visitor) {
    scan(e -> {
      if (e.concerns(purpose) && !e.occurredAt().isAfter(upTo)) {
        visitor.visit(e.subject().high(), e.subject().low(), e.type(),
            e.occurredAt().toEpochMilli(), e.noticeVersion());
      }
    });
  }

  /**
   * Visits, in ledger (sequence) order, every event from sequence number {@code from} on. This
   * default scans every event and skips the earlier ones; a database store reads only the
   * later ones.
   */
  default void scanFrom(long from, Consumer<ConsentEvent> visitor) {
    scan(e -> {
      if (e.sequence() >= from) {
        visitor.accept(e);
      }
    });
  }

  /**
   * The purposes the ledger holds events for, sorted ({@link ConsentEvent#ALL_PURPOSES} among
   * them if any event concerns every purpose). This default scans every event; a database store
   * asks for the distinct values.
   */
  default List<PurposeId> purposes() {
    java.util.TreeSet<String> held = new java.util.TreeSet<>();
    scan(e -> held.add(e.purpose().value()));
    return held.stream().map(PurposeId::of).toList();
  }

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

  /**
   * Records {@code checkValue} as the {@link dev.privseg.consent.ledger.SubjectKeyer#checkValue()
   * check value} of the key subjects are keyed with, unless the store already has one, and
   * returns the one in force. A ledger refuses a key whose check value differs: under another key
   * no subject, and no erasure, would be recognized. A store that held subjects before check
   * values were recorded adopts the key of the first ledger that opens it.
   */
  String adoptKeyCheckValue(String checkValue);

  /** Releases the store's resources. */
  @Override
  void close();
}
