package dev.privseg.core.release;

import java.util.List;
import java.util.Map;

/**
 * The aggregate description of one released segment: safe to share because the segment has at
 * least the policy's minimum number of members.
 *
 * @param segment the segment number
 * @param size the number of members
 * @param numeric summaries of numeric fields
 * @param categorical category shares of categorical fields
 */
public record SegmentProfile(int segment, int size, List<NumericSummary> numeric,
    List<CategoryShares> categorical) {

  /** Copies the lists. */
  public SegmentProfile {
    numeric = List.copyOf(numeric);
    categorical = List.copyOf(categorical);
  }

  /**
   * Mean and quartiles of a numeric field among members with a value.
   *
   * @param field the field
   * @param present members with a value
   * @param mean the mean
   * @param p25 the first quartile
   * @param median the median
   * @param p75 the third quartile
   */
  public record NumericSummary(String field, int present, double mean, double p25, double median,
      double p75) {}

  /**
   * Share of members per label of a categorical field (missing values count as {@code (missing)}).
   *
   * @param field the field
   * @param shares share per label, in [0, 1], summing to 1
   */
  public record CategoryShares(String field, Map<String, Double> shares) {
    /** Copies the map, keeping its order. */
    public CategoryShares {
      shares = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(shares));
    }
  }
}
