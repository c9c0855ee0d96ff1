package dev.privseg.core.gate;

import dev.privseg.core.PrivsegException;
import java.util.Map;

/**
 * A run's lawful-basis gate let no subject of the input through, so there is nothing to process.
 * Usually a mistake in what the gate was given (another purpose than the one consents were
 * recorded for, another consent database), rather than a fact about the customers: the message
 * gives the counts by decision and what the gate can tell about it (for a consent ledger, the
 * purposes it holds events for). Never personal data.
 */
public class NoSubjectAllowedException extends PrivsegException {
  private static final long serialVersionUID = 1L;
  private final long inputRows;
  private final Map<BasisDecision, Long> excluded;

  /** Creates the exception for a run over {@code inputRows} rows excluded as counted. */
  public NoSubjectAllowedException(String message, long inputRows,
      Map<BasisDecision, Long> excluded) {
    super(message);
    this.inputRows = inputRows;
    this.excluded = Map.copyOf(excluded);
  }

  /** The rows the gate was asked about. */
  public long inputRows() {
    return inputRows;
  }

  /** The rows excluded, by decision. */
  public Map<BasisDecision, Long> excluded() {
    return excluded;
  }
}
