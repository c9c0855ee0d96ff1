package dev.privseg.core.gate;

import dev.privseg.core.Checks;

/**
 * One {@link BasisDecision} per row of a run's input, filled by
 * {@link RunGate#decideAll}. Stored as one byte per row rather than as object references:
 * a gate deciding millions of rows then writes plain bytes, with none of the garbage collector's
 * per-store work that an array of references costs. A row no gate has written yet is
 * <em>undecided</em>; the pipeline refuses to go on while any row is.
 *
 * <p>Not thread-safe: a gate fills it from one thread, or from threads that write disjoint rows
 * and are joined before the pipeline reads it.
 */
public final class BasisDecisions {
  private static final BasisDecision[] VALUES = BasisDecision.values();
  /** Row r holds its decision's ordinal + 1; 0 marks an undecided row. */
  private final byte[] codes;

  /** {@code rows} undecided rows. */
  public BasisDecisions(int rows) {
    Checks.atLeast(rows, 0, "rows");
    this.codes = new byte[rows];
  }

  /** The number of rows. */
  public int size() {
    return codes.length;
  }

  /** Records {@code decision} for {@code row}, replacing any earlier one. */
  public void set(int row, BasisDecision decision) {
    codes[row] = (byte) (decision.ordinal() + 1);
  }

  /** Whether a decision has been recorded for {@code row}. */
  public boolean isDecided(int row) {
    return codes[row] != 0;
  }

  /**
   * The decision recorded for {@code row}.
   *
   * @throws IllegalStateException if none has been, naming the row
   */
  public BasisDecision get(int row) {
    int code = codes[row];
    if (code == 0) {
      throw new IllegalStateException("lawful basis gate left row " + row + " undecided");
    }
    return VALUES[code - 1];
  }

  @Override
  public String toString() {
    return "BasisDecisions[" + codes.length + " rows]";
  }
}
