package dev.privseg.core.release;

import dev.privseg.core.Checks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of exact profiles ({@link ProfileMechanism#exact()}) from a segment's aggregates,
 * for an engine that aggregates its rows elsewhere (Spark): the local mechanism computes every
 * figure through these same functions, so an engine that gives them the same aggregates gets the
 * same profiles. Every threshold is applied here: a numeric field is summarized only if at least
 * {@code min} members have a value, and a category's share is shown only if at least {@code min}
 * members have it (rarer ones, missing values included, pooled as {@code (other)}).
 *
 * <p>Aggregates: a field's sum over the segment's present values is added in row order within
 * chunks of {@link #SUM_CHUNK} rows (rows numbered in the run's order) and over chunks in order;
 * its quartiles are read from the values at {@link #quartilePositions} among the segment's
 * present values in ascending order ({@link Double#compare}).
 */
public final class ExactFigures {
  /** Rows per chunk of the sums (the same as the feature encoding's and k-means's). */
  public static final int SUM_CHUNK = 8192;
  private static final double[] QUARTILES = {0.25, 0.5, 0.75};

  private ExactFigures() {}

  /**
   * The positions (from 0, among {@code present} values in ascending order) of the values the
   * quartiles need: for the first quartile, the median and the third, the order statistic below
   * and the one above (Hyndman &amp; Fan type 7, R's default); six positions, some equal.
   */
  public static long[] quartilePositions(long present) {
    Checks.check(present >= 1, "quartiles need at least one value but got %s", present);
    long[] at = new long[2 * QUARTILES.length];
    for (int q = 0; q < QUARTILES.length; q++) {
      double h = (present - 1) * QUARTILES[q];
      long lo = (long) Math.floor(h);
      at[2 * q] = lo;
      at[2 * q + 1] = Math.min(lo + 1, present - 1);
    }
    return at;
  }

  /**
   * A numeric field's summary in a segment.
   *
   * @param field the field
   * @param present the segment's members with a value
   * @param sum the sum of their values, added as this class says
   * @param atPositions the values at {@link #quartilePositions}{@code (present)}, in that order
   *     (ignored, and may be null, when the field is not summarized)
   * @param min the policy's minimum segment size
   */
  public static SegmentProfile.NumericSummary numeric(String field, int present, double sum,
      double[] atPositions, int min) {
    if (present == 0 || present < min) {
      // Too few values to describe without describing the people who hold them.
      return new SegmentProfile.NumericSummary(field, present, Double.NaN, Double.NaN,
          Double.NaN, Double.NaN);
    }
    Checks.check(atPositions != null && atPositions.length == 2 * QUARTILES.length,
        "quartiles need the %s values at their positions", 2 * QUARTILES.length);
    double[] quartiles = new double[QUARTILES.length];
    for (int q = 0; q < QUARTILES.length; q++) {
      double h = (present - 1) * QUARTILES[q];
      double lo = atPositions[2 * q];
      double hi = atPositions[2 * q + 1];
      quartiles[q] = lo + (h - Math.floor(h)) * (hi - lo);
    }
    return new SegmentProfile.NumericSummary(field, present, sum / present, quartiles[0],
        quartiles[1], quartiles[2]);
  }

  /**
   * A categorical field's shares in a segment of {@code size} members.
   *
   * @param field the field
   * @param dictionary the field's labels
   * @param counts the members per label, at the label's index
   * @param missing the members without a value
   * @param size the segment's size
   * @param min the policy's minimum segment size
   */
  public static SegmentProfile.CategoryShares categorical(String field, List<String> dictionary,
      long[] counts, long missing, long size, int min) {
    double total = size;
    Map<String, Double> shares = new LinkedHashMap<>();
    long other = 0;
    for (int code = 0; code < dictionary.size(); code++) {
      long count = counts[code];
      if (count >= min) {
        shares.put(dictionary.get(code), count / total);
      } else {
        other += count;
      }
    }
    if (missing >= min) {
      shares.put("(missing)", missing / total);
    } else {
      other += missing;
    }
    if (other > 0 && other >= min) {
      shares.put("(other)", other / total);
    }
    return new SegmentProfile.CategoryShares(field, shares);
  }
}
