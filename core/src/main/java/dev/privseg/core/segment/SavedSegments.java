package dev.privseg.core.segment;

import dev.privseg.core.Checks;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Incremental assignment: assigns rows to the segments a run saved ({@link SegmentModel})
 * without a new fit. Each row is encoded with the run's own encoding (the run's means, scales and
 * categories, not the new rows') and goes to its nearest centroid, ties to the lower segment
 * number; for a run segmented by rules, each row goes where the run's rules put it. A row's segment therefore depends on that row and the saved model only: adding or
 * removing another row changes no other row's segment ({@link LabelDependence#ROW_AND_DECLARED_PARAMETERS}),
 * and a row the run held, assigned again, gets its segment in the run when the run's k-means
 * converged with no row changing segment in its last pass.
 *
 * <p>The processing record names it "incremental assignment of run" followed by the run id, with the
 * segmenter that found the centroids among its parameters. In a pipeline use
 * {@code SegmentationBuilder.assignTo(model)}, which also applies the run's anonymization scheme.
 */
public final class SavedSegments implements Segmenter {
  private final SegmentModel model;
  private final double[] centroids;
  private final String digest;
  /** The run's rules, for a model of rules; else null. */
  private final dev.privseg.core.segment.rules.RuleSegments rules;

  private SavedSegments(SegmentModel model) {
    this.model = model;
    this.centroids = model.centroids();
    this.digest = model.digest();
    this.rules = model.rules().isEmpty() ? null : model.ruleSegments();
  }

  /** Assigns rows to the segments of {@code model}. */
  public static SavedSegments of(SegmentModel model) {
    Checks.notNull(model, "model");
    return new SavedSegments(model);
  }

  /** The saved segments this assigns to. */
  public SegmentModel model() {
    return model;
  }

  @Override
  public String description() {
    return "incremental assignment of run " + model.run();
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("run", model.run());
    p.put("segmenter", model.segmenter());
    p.put("segments", model.segments());
    p.put("features", model.fields());
    p.put("modelDigest", digest);
    return p;
  }

  /**
   * Assigns every row of {@code features}' values to its nearest saved centroid.
   *
   * @throws dev.privseg.core.ConfigurationException if the values lack a field of the model's
   *     encoding, or hold it as another kind, or if the matrix has no values
   */
  @Override
  public SegmentationResult fit(FeatureMatrix features, SegmentContext context) {
    if (rules != null) {
      SegmentationResult byRules = rules.fit(features, context);
      Map<String, Object> details = new LinkedHashMap<>(byRules.details());
      details.put("incrementalAssignmentOf", model.run());
      return byRules.withDetails(details);
    }
    FeatureMatrix encoded = model.encoding().encode(features.valuesFor(description()));
    int n = encoded.rows();
    int d = encoded.cols();
    int k = model.segments();
    double[] x = encoded.data();
    int[] labels = new int[n];
    double inertia = 0;
    for (int r = 0; r < n; r++) {
      if ((r & 0xFFFF) == 0) {
        context.checkCancelled();
        context.progress(r, n);
      }
      int best = 0;
      double bestDistance = Double.POSITIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        double s = 0;
        for (int j = 0; j < d; j++) {
          double diff = x[r * d + j] - centroids[c * d + j];
          s += diff * diff;
        }
        if (s < bestDistance) {
          bestDistance = s;
          best = c;
        }
      }
      labels[r] = best;
      inertia += bestDistance;
    }
    context.progress(n, n);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("incrementalAssignmentOf", model.run());
    if (!model.segmentNames().isEmpty()) {
      details.put("segmentNames", model.segmentNames());
    }
    return new SegmentationResult(labels, k, model.centroids(), inertia, 0, true, details);
  }

  /** The saved encoding reads the rows' values, whatever the pipeline's matrix holds. */
  @Override
  public boolean readsValues() {
    return true;
  }

  /** Each row goes to its nearest saved centroid (not for a model of rules). */
  @Override
  public boolean assignsNearestCentroid() {
    return rules == null;
  }

  /** A row's segment depends on that row and on the saved model, fixed before these rows. */
  @Override
  public LabelDependence labelDependence() {
    return LabelDependence.ROW_AND_DECLARED_PARAMETERS;
  }

  @Override
  public String toString() {
    return "SavedSegments[" + model + "]";
  }
}
