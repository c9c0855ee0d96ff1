package dev.privseg.core.segment.kmeans;

import dev.privseg.core.Checks;
import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentationResult;
import dev.privseg.core.segment.Segmenter;
import dev.privseg.core.segment.Silhouette;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * k-means that chooses k itself: it fits every k in a range with the same seed and keeps the best
 * by the chosen criterion, and the processing record says which criterion, the score of every
 * candidate and the k chosen. Immutable and thread-safe. Obtain from {@link KMeans#chooseK}.
 */
public final class KSelection implements Segmenter {

  /** How k is chosen. */
  public enum Criterion {
    /** The highest mean silhouette on a seeded sample of rows (Rousseeuw 1987). */
    SILHOUETTE,
    /**
     * The elbow: the k after which inertia stops falling fast, taken as the largest second
     * difference of inertia over k (the "knee" of the curve).
     */
    ELBOW
  }

  private static final int SAMPLE = 2_000;
  private final KMeans base;
  private final int min;
  private final int max;
  private final Criterion criterion;

  KSelection(KMeans base, int min, int max, Criterion criterion) {
    Checks.atLeast(min, 2, "smallest k");
    Checks.check(max >= min, "largest k must be >= smallest k (%s) but was %s", min, max);
    Checks.check(criterion != Criterion.ELBOW || max - min >= 2,
        "the elbow needs at least three candidate k but the range was %s..%s", min, max);
    this.base = base;
    this.min = min;
    this.max = max;
    this.criterion = Checks.notNull(criterion, "criterion");
  }

  @Override
  public String description() {
    return "k-means, k chosen by " + criterion.name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>(base.parameters());
    p.remove("k");
    p.put("kRange", min + ".." + max);
    p.put("criterion", criterion.name());
    return p;
  }

  @Override
  public Optional<Segmenter> withSeed(long seed) {
    return Optional.of(new KSelection(base.seed(seed), min, max, criterion));
  }

  /** Each row's segment is its nearest centroid's. */
  @Override
  public boolean assignsNearestCentroid() {
    return true;
  }

  @Override
  public SegmentationResult fit(FeatureMatrix features, SegmentContext context) {
    int top = Math.min(max, features.rows());
    Checks.check(top >= min, "choosing k needs at least %s rows but got %s", min,
        features.rows());
    SegmentationResult[] fits = new SegmentationResult[top + 1];
    Map<String, Object> scores = new LinkedHashMap<>();
    for (int k = min; k <= top; k++) {
      context.checkCancelled();
      fits[k] = base.withClusters(k).fit(features, context);
    }
    int chosen = min;
    if (criterion == Criterion.SILHOUETTE) {
      double best = Double.NEGATIVE_INFINITY;
      for (int k = min; k <= top; k++) {
        double s = Silhouette.sampled(features, fits[k].labels(), k, SAMPLE, base.seedValue());
        scores.put(Integer.toString(k), s);
        if (s > best) {
          best = s;
          chosen = k;
        }
      }
    } else {
      double bestBend = Double.NEGATIVE_INFINITY;
      for (int k = min; k <= top; k++) {
        scores.put(Integer.toString(k), fits[k].inertia());
      }
      for (int k = min + 1; k < top; k++) {
        double bend = fits[k - 1].inertia() - 2 * fits[k].inertia() + fits[k + 1].inertia();
        if (bend > bestBend) {
          bestBend = bend;
          chosen = k;
        }
      }
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("criterion", criterion.name());
    details.put(criterion == Criterion.SILHOUETTE ? "silhouetteByK" : "inertiaByK", scores);
    details.put("chosenK", chosen);
    return fits[chosen].withDetails(details);
  }

  @Override
  public String toString() {
    return "KSelection" + parameters();
  }
}
