package dev.privseg.anonymization.utility;

/**
 * How much information a transformation loses; the lattice search picks the transformation that
 * meets the privacy models with the least loss. Every metric is normalized to [0, 1]: 0 for the
 * data as it is, 1 for every row suppressed.
 *
 * <p>{@link #LOSS}, {@link #GENERALIZATION_INTENSITY} and {@link #NON_UNIFORM_ENTROPY} are sums
 * of a cost per cell, and {@link #ARX_LOSS} a monotone function of such sums per field: the search
 * bounds them from below without looking at the data (a suppressed cell costs the most), and with
 * no suppression the bound is exact, which lets it stop early. The last two depend on the
 * classes, so the search evaluates every transformation that meets the models.
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
   * their optima can (the cup data, k = 10 with 1 % suppression). {@link #ARX_LOSS} is ARX's.
   */
  LOSS,
  /**
   * ARX's default "Loss" (its {@code MetricMDNMLoss} with the geometric mean and generalization
   * and suppression weighted equally), for results comparable with ARX's: per quasi-identifier,
   * the mean over rows of {@code (m - 1) / (M - 1)}, where the cell's label covers {@code m} of
   * the {@code M} values the hierarchy lists (present in the data or not; for a hierarchy given
   * by a rule, which lists none, the values present in the data), a suppressed cell costing 1;
   * then the geometric mean over quasi-identifiers of {@code 1 + loss}, minus 1. A field whose
   * hierarchy covers a single value costs 0, as in ARX.
   */
  ARX_LOSS,
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

  /**
   * Whether the metric is made of per-cell costs, so that it is bounded without looking at the
   * classes: a sum of them, or ({@link #ARX_LOSS}) a monotone function of their sums per field.
   */
  public boolean isCellAdditive() {
    return this != DISCERNIBILITY && this != AVERAGE_CLASS_SIZE;
  }
}
