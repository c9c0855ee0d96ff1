package dev.privseg.anonymization.utility;

/**
 * How much information a transformation loses; the lattice search picks the transformation that
 * meets the privacy models with the least loss. Every metric is normalized to [0, 1]: 0 for the
 * data as it is, 1 for every row suppressed.
 *
 * <p>The first three are sums of a cost per cell: the search bounds them from below without
 * looking at the data (a suppressed cell costs the most), and with no suppression the bound is
 * exact, which lets it stop early. The last two depend on the classes, so the search evaluates every
 * transformation that meets the models.
 */
public enum LossMetric {
  /**
   * The loss metric of Iyengar (2002), as privseg computes it: a cell generalized to a label
   * covering {@code m} of the field's {@code M} values <em>present in the data</em> costs
   * {@code (m - 1) / (M - 1)}; a suppressed cell costs 1; the result is the arithmetic mean over
   * all cells (every quasi-identifier of every row). ARX's default "Loss" differs in two ways:
   * it counts a label's leaves in the hierarchy (values absent from the data included), and it
   * combines the attributes as the geometric mean of {@code (1 + loss)}, minus 1. Both are
   * legitimate; their values differ (Adult, k = 5, the same node: 0.625 here, 0.5422 in ARX) and
   * their optima can (the cup data, k = 10 with 1 % suppression).
   */
  LOSS,
  /**
   * Generalization intensity (Sweeney's precision, inverted): a cell at level {@code h} of a
   * hierarchy of height {@code H} costs {@code h / (H - 1)}; a suppressed cell costs 1.
   */
  GENERALIZATION_INTENSITY,
  /**
   * Non-uniform entropy (Gionis and Tassa 2009): a cell whose value occurs {@code a} times and
   * whose label {@code b} times costs {@code log2(b / a)}; normalized by the cost of suppressing
   * every cell.
   */
  NON_UNIFORM_ENTROPY,
  /**
   * Discernibility (Bayardo and Agrawal 2005): every released row costs the size of its class,
   * every suppressed row the table's size; normalized by the square of the table's size.
   */
  DISCERNIBILITY,
  /**
   * Average class size (LeFevre et al. 2006), {@code released rows / classes}, relative to the
   * table's size.
   */
  AVERAGE_CLASS_SIZE;

  /** Whether the metric is a sum of per-cell costs (bounded without looking at the classes). */
  public boolean isCellAdditive() {
    return this == LOSS || this == GENERALIZATION_INTENSITY || this == NON_UNIFORM_ENTROPY;
  }
}
