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
   * The same segmenter with another seed, for measuring stability across seeds; empty for a
   * segmenter without randomness (the default).
   */
  default java.util.Optional<Segmenter> withSeed(long seed) {
    return java.util.Optional.empty();
  }
}
