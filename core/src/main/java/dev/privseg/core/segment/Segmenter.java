package dev.privseg.core.segment;

import java.util.Map;

/**
 * A segmentation algorithm over a {@link FeatureMatrix}. Implementations are immutable,
 * thread-safe and deterministic: the same features and parameters (including the seed) give the
 * same result on any machine and with any parallelism.
 */
public interface Segmenter {

  /** The algorithm's name for the processing record, e.g. {@code "k-means"}. */
  String algorithm();

  /** The parameters for the processing record (no data). */
  Map<String, Object> parameters();

  /** Assigns every row of {@code features} to exactly one segment. */
  SegmentationResult fit(FeatureMatrix features, SegmentContext context);

  /**
   * Assigns every row to exactly one segment, with the rows' minimized values at hand as well as
   * their features. The pipeline calls this; segmenters that work on values (rules) override it.
   * The default uses the features only.
   */
  default SegmentationResult fit(dev.privseg.core.dataset.Dataset data, FeatureMatrix features,
      SegmentContext context) {
    return fit(features, context);
  }

  /**
   * Whether the segmenter decides from the rows' values (rules) rather than from the feature
   * matrix. The pipeline then encodes, for the quality figures, only the fields that can be
   * features (numeric and categorical), and accepts kept fields that cannot, such as dates.
   */
  default boolean readsValues() {
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
