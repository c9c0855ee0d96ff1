package dev.privseg.core.segment;

import dev.privseg.core.Checks;

/**
 * What a {@link Segmenter} produced: the segment of every row, the segment centres in feature
 * space, and fit statistics.
 *
 * @param labels segment of each row, in {@code 0..segments-1}
 * @param segments the number of segments
 * @param centroids row-major {@code segments x features} centres (standardized feature space)
 * @param inertia sum of squared distances of rows to their centre
 * @param iterations iterations run (0 for a segmenter that assigns in one pass, without
 *     iterating: rules, RFM)
 * @param converged whether the algorithm met its tolerance before its iteration limit
 * @param details how the result was chosen, for the processing record (e.g. the k selected and
 *     the score of each candidate); empty for a single fit
 */
public record SegmentationResult(int[] labels, int segments, double[] centroids, double inertia,
    int iterations, boolean converged, java.util.Map<String, Object> details) {

  /** Validates the labels' range. */
  public SegmentationResult {
    Checks.atLeast(segments, 1, "segments");
    for (int l : labels) {
      Checks.check(l >= 0 && l < segments, "label %s outside 0..%s", l, segments - 1);
    }
    details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
  }

  /** A single fit, with no selection details. */
  public SegmentationResult(int[] labels, int segments, double[] centroids, double inertia,
      int iterations, boolean converged) {
    this(labels, segments, centroids, inertia, iterations, converged, java.util.Map.of());
  }

  /** This result with {@code details}. */
  public SegmentationResult withDetails(java.util.Map<String, Object> details) {
    return new SegmentationResult(labels, segments, centroids, inertia, iterations, converged,
        details);
  }

  /**
   * The segments' names, indexed by segment number, where the segmenter names them (rule and
   * RFM segments, in {@code details} under {@code segmentNames}); empty otherwise.
   */
  public java.util.List<String> segmentNames() {
    if (!(details.get("segmentNames") instanceof java.util.List<?> names)) {
      return java.util.List.of();
    }
    java.util.List<String> out = new java.util.ArrayList<>();
    for (Object name : names) {
      out.add(String.valueOf(name));
    }
    return java.util.List.copyOf(out);
  }

  /** The number of rows in each segment. */
  public int[] sizes() {
    int[] sizes = new int[segments];
    for (int l : labels) {
      sizes[l]++;
    }
    return sizes;
  }

  @Override
  public String toString() {
    return "SegmentationResult[rows=" + labels.length + ", segments=" + segments + ", inertia="
        + inertia + ", iterations=" + iterations + ", converged=" + converged + "]";
  }
}
