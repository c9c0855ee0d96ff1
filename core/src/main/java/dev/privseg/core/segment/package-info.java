/**
 * The segmentation contract: a {@link dev.privseg.core.segment.Segmenter} fits a
 * {@link dev.privseg.core.segment.FeatureMatrix} (standardized numeric and one-hot categorical
 * features) and returns a {@link dev.privseg.core.segment.SegmentationResult}; with quality
 * measures shared by all segmenters (sampled silhouette, adjusted Rand index for stability).
 */
package dev.privseg.core.segment;
