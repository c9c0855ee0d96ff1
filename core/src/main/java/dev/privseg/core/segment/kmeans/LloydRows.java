package dev.privseg.core.segment.kmeans;

/**
 * What a Lloyd fit ({@link LloydFit}) needs done over the rows, wherever they are held: in one
 * array ({@link Lloyd}) or in chunks an engine keeps ({@link ChunkedLloyd}). Every operation
 * works chunk by chunk, in rows of {@link Lloyd#CHUNK}, and gives back the chunks' parts in chunk
 * order, so that the driver adds them in the same order whoever computed them.
 */
interface LloydRows {

  /** The rows' view for k-means++ seeding. */
  SeedRows seedRows();

  /** Assigns every row to its nearest of {@code centroids}; the chunks' parts, in order. */
  Partial[] firstAssignment(double[] centroids);

  /**
   * Reassigns every row to its nearest of {@code centroids}, which moved by {@code squaredMoves}
   * (per centre, squared) since the last assignment; the chunks' parts (rows that changed centre
   * and the inertia they shed), in order.
   */
  Partial[] assign(double[] centroids, double[] squaredMoves);

  /**
   * The row farthest from its own centre in {@code centroids} (the first in row order on a tie),
   * not already chosen to restart an earlier empty cluster: one whose values equal centre
   * {@code c < empty} of {@code next} where {@code counts[c] == 0}.
   */
  int farthestRow(double[] centroids, double[] next, int empty, long[] counts);

  /** Row {@code r}'s values. */
  double[] row(int r);

  /**
   * The sum of squared distances from every row to its centre in {@code centroids}, summed per
   * chunk in row order and over chunks in order, as a search of every row sums them.
   */
  double exactInertia(double[] centroids);
}
