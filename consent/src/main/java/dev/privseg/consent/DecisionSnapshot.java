package dev.privseg.consent;

import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.core.Purpose;
import dev.privseg.core.gate.BasisDecision;
import java.time.Instant;
import java.util.Optional;

/**
 * A {@link ConsentGate}'s decisions for one purpose at one instant, as data: every subject the
 * ledger knows, by its lookup key (the keyed hash of its identifier, made by the ledger's
 * {@link SubjectKeyer}), with the decision and whether explicit consent (GDPR Art. 9) is in
 * force; a subject not listed gets {@link #unknown()}. What a run's gate decides from, for an
 * engine that decides elsewhere: Spark joins its rows, keyed on the executors with the same
 * keyer, to these entries. Holds keys and decisions, never identifiers. Immutable; obtained
 * from {@link ConsentGate#snapshot}.
 *
 * <p>Keys compare on 123 bits: the lowest 5 bits of a key's high word are not part of it
 * ({@link #comparableHigh}).
 */
public final class DecisionSnapshot {
  private final Purpose purpose;
  private final Instant at;
  private final DecisionTable table;
  private final DecisionTable explicit;
  private final BasisDecision unknown;
  private final SubjectKeyer keyer;
  private final java.util.function.Supplier<Optional<String>> whyNoneAllowed;

  DecisionSnapshot(Purpose purpose, Instant at, DecisionTable table, DecisionTable explicit,
      BasisDecision unknown, SubjectKeyer keyer,
      java.util.function.Supplier<Optional<String>> whyNoneAllowed) {
    this.purpose = purpose;
    this.at = at;
    this.table = table;
    this.explicit = explicit;
    this.unknown = unknown;
    this.keyer = keyer;
    this.whyNoneAllowed = whyNoneAllowed;
  }

  /** The purpose decided for. */
  public Purpose purpose() {
    return purpose;
  }

  /** The instant decided at. */
  public Instant at() {
    return at;
  }

  /** The decision for a subject the snapshot does not list. */
  public BasisDecision unknown() {
    return unknown;
  }

  /** The number of subjects listed. */
  public int size() {
    return table.size();
  }

  /** The scheme lookup keys are made with. */
  public SubjectKeyer.Scheme keyScheme() {
    return keyer.scheme();
  }

  /** The non-secret name of the key lookup keys are made with. */
  public String keyId() {
    return keyer.keyId();
  }

  /**
   * The check value of the keyer lookup keys are made with ({@link SubjectKeyer#checkValue}):
   * a keyer elsewhere makes the same keys if and only if it has the same check value.
   */
  public String keyCheckValue() {
    return keyer.checkValue();
  }

  /**
   * What the gate can tell about why it would allow no subject (asked of the ledger when
   * called); never personal data.
   */
  public Optional<String> whyNoneAllowed() {
    return whyNoneAllowed.get();
  }

  /**
   * Visits every subject listed: its lookup key ({@code high} with its lowest 5 bits cleared,
   * {@code low}), its decision, and whether its explicit consent is in force.
   */
  public void forEach(Visitor visitor) {
    table.forEach((high, low, decision) -> visitor.visit(high, low, decision,
        explicit.get(high, low) == BasisDecision.ALLOWED));
  }

  /** A lookup key's high word as the snapshot compares it: its lowest 5 bits cleared. */
  public static long comparableHigh(long high) {
    return DecisionTable.comparable(high);
  }

  DecisionTable table() {
    return table;
  }

  DecisionTable explicit() {
    return explicit;
  }

  @Override
  public String toString() {
    return "DecisionSnapshot[" + table.size() + " subjects, " + purpose.id() + " at " + at + "]";
  }

  /** Receives a snapshot's entries. */
  @FunctionalInterface
  public interface Visitor {
    /**
     * One subject.
     *
     * @param high its lookup key's high word, lowest 5 bits cleared
     * @param low its lookup key's low word
     * @param decision the gate's decision for it
     * @param explicit whether its explicit consent (GDPR Art. 9(2)(a)) is in force
     */
    void visit(long high, long low, BasisDecision decision, boolean explicit);
  }
}
