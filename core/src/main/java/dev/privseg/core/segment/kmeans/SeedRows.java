package dev.privseg.core.segment.kmeans;

/**
 * What k-means++ seeding ({@link KMeansPlusPlus}) needs of the rows, wherever they are held: each
 * row's D² weight kept with it, brought up to date a chunk at a time.
 */
interface SeedRows {

  /** The number of rows. */
  int rows();

  /** The number of chunks of {@link Lloyd#CHUNK} rows. */
  int chunks();

  /**
   * Brings every row's weight up to date with centres {@code from..to} of {@code centroids} (a
   * sweep from centre 0 starts every weight afresh); the chunks' totals, in chunk order.
   */
  double[] sweep(int from, int to, double[] centroids);

  /** Row {@code row}, with its weight as last swept. */
  Picked row(int row);

  /**
   * The row of chunk {@code chunk} where the running sum of the weights of its rows with weight,
   * in row order, first exceeds {@code within} (the last such row if rounding leaves the sum
   * short).
   */
  Picked pick(int chunk, double within);

  /**
   * A row drawn or asked for.
   *
   * @param row its index
   * @param weight its weight as last swept
   * @param values its features
   */
  record Picked(int row, double weight, double[] values) implements java.io.Serializable {}
}
