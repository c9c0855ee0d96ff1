package dev.privseg.core.segment;

import java.util.Map;

/**
 * A segmentation algorithm over a {@link FeatureMatrix}. Implementations are immutable,
 * thread-safe and deterministic: the same features and parameters (including the seed) give the
 * same result on any machine and with any parallelism.
 */
public interface Segmenter extends dev.privseg.core.Described {

  /** The algorithm's name for the processing record, e.g. {@code "k-means"}. */
  @Override
  String description();

  /** The parameters for the processing record (no data). */
  @Override
  Map<String, Object> parameters();

  /**
   * Assigns every row of {@code features} to exactly one segment. A segmenter that decides from
   * the rows' values (rules, k-prototypes, DP k-means) reads them from
   * {@link FeatureMatrix#values()}, which {@link FeatureMatrix#encode} keeps and a pipeline
   * always provides, and refuses a matrix without them ({@link FeatureMatrix#valuesFor}).
   */
  SegmentationResult fit(FeatureMatrix features, SegmentContext context);

  /**
   * Whether the segmenter decides from the rows' values (rules) rather than from the feature
   * matrix. The pipeline then encodes, for the quality figures, only the fields that can be
   * features (numeric and categorical), and accepts kept fields that cannot, such as dates.
   */
  default boolean readsValues() {
    return false;
  }

  /**
   * Whether every row's segment is the one whose centroid ({@link SegmentationResult#centroids()},
   * in the feature matrix's space) is nearest by squared Euclidean distance, as k-means assigns
   * rows; default false. A run whose segmenter answers true saves its segments as a
   * {@link SegmentModel}, to which {@link SavedSegments} assigns new rows by the same rule.
   */
  default boolean assignsNearestCentroid() {
    return false;
  }

  /**
   * The same segmenter with another seed, for measuring stability across seeds; empty for a
   * segmenter without randomness (the default).
   */
  default java.util.Optional<Segmenter> withSeed(long seed) {
    return java.util.Optional.empty();
  }

  /**
   * What a row's label depends on (default {@link LabelDependence#ALL_ROWS}, the safe answer).
   * A pipeline releases differentially private profiles only over segmenters that answer
   * otherwise, so an implementation must not claim more than holds.
   */
  default LabelDependence labelDependence() {
    return LabelDependence.ALL_ROWS;
  }

  /**
   * The differential-privacy loss of the parameters the labels depend on, for a segmenter whose
   * {@link #labelDependence()} is {@link LabelDependence#ROW_AND_DP_PARAMETERS}; empty otherwise
   * (the default).
   */
  default java.util.Optional<dev.privseg.core.release.PrivacyLoss> privacyLoss() {
    return java.util.Optional.empty();
  }
}
