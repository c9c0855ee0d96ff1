package dev.privseg.core.pipeline;

import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.segment.FeatureEncoding;
import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentationResult;
import dev.privseg.core.segment.Segmenter;
import dev.privseg.core.segment.Silhouette;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The segment stage, with one job: fit the segmenter to the rows' features and measure the
 * result (sampled silhouette; stability over other seeds when asked; with the released rows'
 * original values, how far anonymization moved the segments). Immutable: a run passes its listener
 * and cancellation to {@link #run}.
 */
final class SegmentStage {
  private final Segmenter segmenter;
  private final Executor executor;
  private final int parallelism;
  private final int silhouetteSample;
  private final long silhouetteSeed;
  private final int stabilityRuns;

  SegmentStage(Segmenter segmenter, Executor executor, int parallelism, int silhouetteSample,
      long silhouetteSeed, int stabilityRuns) {
    this.segmenter = segmenter;
    this.executor = executor;
    this.parallelism = parallelism;
    this.silhouetteSample = silhouetteSample;
    this.silhouetteSeed = silhouetteSeed;
    this.stabilityRuns = stabilityRuns;
  }

  /**
   * Segments {@code features} on the fields {@code used}; with {@code original} (the same rows'
   * values before anonymization) also measures the impact. Records the segments, their measures
   * and the impact.
   */
  Segmented run(Dataset features, List<String> used, Dataset original,
      RunListener listener, Runnable checkCancelled, RunRecorder recorder) {
    dev.privseg.core.segment.SegmentContext context = context(listener, checkCancelled);
    FeatureMatrix matrix = encode(features, used);
    SegmentationResult result = segmenter.fit(matrix, context);
    double silhouette = Silhouette.sampled(matrix, result.labels(), result.segments(),
        silhouetteSample, silhouetteSeed);
    double stability = stability(matrix, result, context);
    recorder.segmentation(result, matrix.cols(), silhouette,
        Math.min(silhouetteSample, matrix.rows()), stability,
        original == null ? null : impact(result, used, original, context));
    return new Segmented(result, encodingOfCentroids(matrix, result));
  }

  /**
   * What the stage found.
   *
   * @param result the segments
   * @param encoding the encoding of the space in which every row's segment is its nearest
   *     centroid, or null if the segmenter does not assign rows that way
   */
  record Segmented(SegmentationResult result, FeatureEncoding encoding) {}

  /**
   * The encoding of the space of {@code result}'s centroids, the matrix's, when the segmenter
   * assigns each row to its nearest one. (A run assigning to saved segments keeps the saved
   * model as it is: {@code LocalExecution.model}.)
   */
  private FeatureEncoding encodingOfCentroids(FeatureMatrix matrix, SegmentationResult result) {
    if (!segmenter.assignsNearestCentroid()) {
      return null;
    }
    FeatureEncoding encoding = matrix.encoding().orElse(null);
    return encoding != null && result.centroids() != null
        && result.centroids().length == (long) result.segments()
            * encoding.featureNames().size() ? encoding : null;
  }

  /** The segmenter's view of the run: its executor, progress and cancellation. */
  private dev.privseg.core.segment.SegmentContext context(RunListener listener,
      Runnable checkCancelled) {
    return new dev.privseg.core.segment.SegmentContext() {
      @Override
      public Executor executor() {
        return executor;
      }

      @Override
      public int parallelism() {
        return parallelism;
      }

      @Override
      public void progress(long done, long total) {
        listener.progress(Stage.SEGMENT, done, total);
      }

      @Override
      public void checkCancelled() {
        checkCancelled.run();
      }
    };
  }


  /**
   * The feature matrix of {@code used}. A segmenter that reads values gets one of only the
   * fields that can be features (possibly none, and then its silhouette is 0): it is for the
   * quality figures, and a date it compares need not be one.
   */
  private FeatureMatrix encode(Dataset data, List<String> used) {
    if (!segmenter.readsValues()) {
      return FeatureMatrix.encode(data, used);
    }
    List<String> encodable = new ArrayList<>();
    for (String f : used) {
      if (FeatureMatrix.canEncode(data.column(f))) {
        encodable.add(f);
      }
    }
    return encodable.isEmpty()
        ? FeatureMatrix.of(new double[0], data.rowCount(), List.of()).withValues(data)
        : FeatureMatrix.encode(data, encodable);
  }


  /**
   * Compares the run's segments with segments of the same rows made from their original values:
   * adjusted Rand index, and centroid shift measured in the original standardized features.
   */
  private Map<String, Object> impact(SegmentationResult anonymized, List<String> used,
      Dataset original, dev.privseg.core.segment.SegmentContext context) {
    FeatureMatrix plain = encode(original, used);
    SegmentationResult reference = segmenter.fit(plain, context);
    int d = plain.cols();
    int k = anonymized.segments();
    int kRef = reference.segments();
    double[] data = plain.data();
    double[] a = new double[k * d + k];
    double[] b = new double[kRef * d + kRef];
    for (int from = 0; from < plain.rows(); from += AnonymizationImpact.CHUNK) {
      int n = Math.min(AnonymizationImpact.CHUNK, plain.rows() - from);
      AnonymizationImpact.add(a, AnonymizationImpact.chunkSums(data, from, n, d,
          anonymized.labels(), from, k));
      AnonymizationImpact.add(b, AnonymizationImpact.chunkSums(data, from, n, d,
          reference.labels(), from, kRef));
    }
    return AnonymizationImpact.of(anonymized.labels(), k, a, reference.labels(), kRef, b, d,
        reference.inertia());
  }

  /**
   * The mean adjusted Rand index of refits with other seeds against {@code result}, each fit on
   * the same rows as the run's own (with their values, for segmenters that decide from them);
   * NaN when not measured (no runs asked for, or a segmenter without seeds).
   */
  private double stability(FeatureMatrix matrix, SegmentationResult result,
      dev.privseg.core.segment.SegmentContext context) {
    if (stabilityRuns == 0 || matrix.rows() < 2) {
      return Double.NaN;
    }
    double sum = 0;
    for (int i = 1; i <= stabilityRuns; i++) {
      java.util.Optional<Segmenter> other = segmenter.withSeed(RunPlan.stabilitySeed(i));
      if (other.isEmpty()) {
        return Double.NaN;
      }
      sum += dev.privseg.core.segment.AdjustedRand.index(result.labels(),
          other.get().fit(matrix, context).labels());
    }
    return sum / stabilityRuns;
  }
}
