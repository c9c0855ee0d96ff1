package dev.privseg.core.segment.kmeans;

import dev.privseg.core.Checks;
import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentationResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * k-means clustering (Lloyd's algorithm) with k-means++ seeding (Arthur &amp; Vassilvitskii 2007).
 * Immutable; each setter returns a new instance, so a configured {@code KMeans} can be shared.
 *
 * <pre>{@code
 * KMeans.clusters(6).seed(42).maxIterations(100).tolerance(1e-4)
 * }</pre>
 *
 * <p>Each iteration assigns rows to their nearest centre in fixed-size chunks that run in
 * parallel; the centre sums change by the rows that moved, combined in chunk order, so results do
 * not depend on the number of threads. With {@link #accelerated} (the default) rows that
 * Hamerly's bounds prove settled are not read at all. Memory beyond the feature matrix is
 * {@code O(k * d)} per chunk and per thread, one {@code int} label per row (the result), and 8
 * bytes per row at a time: one {@code double} per row during seeding, then, when accelerated,
 * two {@code float} bounds per row.
 */
public final class KMeans implements ChunkedSegmenter {
  private final int clusters;
  private final long seed;
  private final int maxIterations;
  private final double tolerance;
  private final boolean accelerated;
  private final int batchSize; // 0: full Lloyd iterations
  private final int restarts;
  /** The step between restarts' seeds (the golden-ratio increment of SplitMix64). */
  private static final long RESTART_STEP = 0x9E3779B97F4A7C15L;

  private KMeans(int clusters, long seed, int maxIterations, double tolerance,
      boolean accelerated, int batchSize, int restarts) {
    this.clusters = clusters;
    this.seed = seed;
    this.maxIterations = maxIterations;
    this.tolerance = tolerance;
    this.accelerated = accelerated;
    this.batchSize = batchSize;
    this.restarts = restarts;
  }

  /**
   * Mini-batch k-means (Sculley 2010) for very large inputs: each of the
   * {@link #maxIterations} iterations updates the centres from a seeded random batch of
   * {@code rows} rows; a final pass assigns every row. Faster than full iterations on millions of
   * rows, at some cost in inertia.
   */
  public KMeans miniBatch(int rows) {
    Checks.atLeast(rows, 1, "mini-batch size");
    return new KMeans(clusters, seed, maxIterations, tolerance, accelerated, rows, restarts);
  }

  /** k-means with {@code k} clusters (at least 2), seed 0, 100 iterations, tolerance 1e-4. */
  public static KMeans clusters(int k) {
    Checks.atLeast(k, 2, "clusters");
    return new KMeans(k, 0, 100, 1e-4, true, 0, 1);
  }

  /** The random seed for k-means++ seeding; the same seed gives the same segments. */
  public KMeans seed(long seed) {
    return new KMeans(clusters, seed, maxIterations, tolerance, accelerated, batchSize, restarts);
  }

  /**
   * Fits {@code restarts} times (at least 1; default 1) from different seeds — the seed, then
   * the seed plus 0x9E3779B97F4A7C15 times the restart's number — and keeps the fit of the least
   * inertia (the first of equals): k-means ends in a local optimum its seeding decides, and the
   * best of several is the usual remedy. The record names the restarts and the seed kept.
   */
  public KMeans restarts(int restarts) {
    Checks.atLeast(restarts, 1, "restarts");
    return new KMeans(clusters, seed, maxIterations, tolerance, accelerated, batchSize,
        restarts);
  }

  /**
   * Whether Hamerly's bounds (2010) skip distance computations that cannot change a row's
   * segment (default true). The result is the same either way; only the time differs: much less
   * on clustered data, about the same on structureless data, where no centre is ever far from
   * a row's own. The bounds cost two {@code float}s per row.
   */
  public KMeans accelerated(boolean accelerated) {
    return new KMeans(clusters, seed, maxIterations, tolerance, accelerated, batchSize, restarts);
  }

  /** The iteration limit (at least 1). */
  public KMeans maxIterations(int maxIterations) {
    Checks.atLeast(maxIterations, 1, "maxIterations");
    return new KMeans(clusters, seed, maxIterations, tolerance, accelerated, batchSize, restarts);
  }

  /**
   * Stop when inertia improves by less than this fraction between iterations (>= 0; 0 runs until
   * no row changes segment or the iteration limit).
   */
  public KMeans tolerance(double tolerance) {
    Checks.check(tolerance >= 0 && Double.isFinite(tolerance),
        "tolerance must be a finite number >= 0 but was %s", tolerance);
    return new KMeans(clusters, seed, maxIterations, tolerance, accelerated, batchSize, restarts);
  }

  @Override
  public java.util.Optional<dev.privseg.core.segment.Segmenter> withSeed(long seed) {
    return java.util.Optional.of(seed(seed));
  }

  /**
   * k-means that chooses k between {@code min} and {@code max} by {@code criterion}; every
   * candidate is fitted with this configuration's other settings (seed, iteration limit,
   * tolerance, acceleration, mini-batch), and its own k is ignored.
   */
  public KSelection chooseK(int min, int max, KSelection.Criterion criterion) {
    return new KSelection(this, min, max, criterion);
  }

  /** This configuration with {@code k} clusters, every other setting kept. */
  KMeans withClusters(int k) {
    Checks.atLeast(k, 2, "clusters");
    return new KMeans(k, seed, maxIterations, tolerance, accelerated, batchSize, restarts);
  }

  /** The seed (for the candidates' silhouette samples). */
  long seedValue() {
    return seed;
  }

  /** The number of clusters. */
  public int k() {
    return clusters;
  }

  @Override
  public String description() {
    return "k-means";
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("k", clusters);
    p.put("seed", seed);
    p.put("maxIterations", maxIterations);
    p.put("tolerance", tolerance);
    p.put("initialization", "k-means++");
    p.put("acceleration", accelerated ? "Hamerly bounds" : "none");
    if (batchSize > 0) {
      p.put("miniBatch", batchSize);
    }
    if (restarts > 1) {
      p.put("restarts", restarts);
    }
    return p;
  }

  /** The seed of restart {@code i} (from 0, whose seed is this configuration's). */
  private long restartSeed(int i) {
    return seed + i * RESTART_STEP;
  }

  /** What the record says of the restarts: how many, and the seed whose fit was kept. */
  private Map<String, Object> restartDetails(Map<String, Object> details, int kept) {
    Map<String, Object> out = new LinkedHashMap<>(details);
    out.put("restarts", restarts);
    out.put("keptSeed", restartSeed(kept));
    return out;
  }

  /** Each row's segment is its nearest centroid's. */
  @Override
  public boolean assignsNearestCentroid() {
    return true;
  }

  @Override
  public SegmentationResult fit(FeatureMatrix features, SegmentContext context) {
    Checks.check(features.rows() >= clusters, "k-means needs at least k=%s rows but got %s",
        clusters, features.rows());
    Checks.check(features.cols() > 0, "k-means needs at least one feature but got none");
    SegmentationResult best = null;
    int kept = 0;
    for (int i = 0; i < restarts; i++) {
      context.checkCancelled();
      long s = restartSeed(i);
      SegmentationResult r = batchSize > 0
          ? MiniBatch.fit(features, clusters, s, maxIterations, batchSize, context)
          : new Lloyd(features, clusters, s, maxIterations, tolerance, accelerated, context)
              .run();
      if (best == null || r.inertia() < best.inertia()) {
        best = r;
        kept = i;
      }
    }
    return restarts == 1 ? best : best.withDetails(restartDetails(best.details(), kept));
  }

  /**
   * Fits on rows held in chunks where an engine keeps them (Spark's executors, say): the same
   * centroids, sizes, inertia, iterations and, left in each chunk ({@link Chunk#label}), the same
   * segments as {@link #fit(FeatureMatrix, SegmentContext)} on the same rows in one matrix, to the
   * last bit, however the chunks are spread. Every pass over the rows is a {@link ChunkStep} the
   * rows' holder runs; the fit itself runs here.
   *
   * @throws dev.privseg.core.ConfigurationException if there are fewer rows than clusters, no
   *     features, or this configuration is mini-batch (not available on chunks)
   */
  @Override
  public ChunkedFit fit(ChunkedRows rows, SegmentContext context) {
    Checks.notNull(rows, "rows");
    Checks.notNull(context, "context");
    Checks.check(rows.rows() >= clusters, "k-means needs at least k=%s rows but got %s",
        clusters, rows.rows());
    Checks.check(rows.cols() > 0, "k-means needs at least one feature but got none");
    Checks.check(batchSize == 0, "mini-batch k-means does not fit chunked rows; use full "
        + "iterations");
    ChunkedFit best = null;
    int kept = 0;
    for (int i = 0; i < restarts; i++) {
      context.checkCancelled();
      ChunkedFit fit = chunkedFit(rows, restartSeed(i), context);
      if (best == null || fit.inertia() < best.inertia()) {
        best = fit;
        kept = i;
      }
    }
    if (restarts == 1) {
      return best;
    }
    if (kept != restarts - 1) {
      best = chunkedFit(rows, restartSeed(kept), context); // leaves its segments in the chunks
    }
    return new ChunkedFit(clusters, best.centroids(), best.sizes(), best.inertia(),
        best.iterations(), best.converged(), restartDetails(best.details(), kept));
  }

  private ChunkedFit chunkedFit(ChunkedRows rows, long seed, SegmentContext context) {
    LloydFit.Outcome fit = new LloydFit(new ChunkedLloyd(rows, clusters), rows.rows(),
        rows.cols(), clusters, seed, maxIterations, tolerance, context).run();
    return new ChunkedFit(clusters, fit.centroids(), fit.sizes(), fit.inertia(),
        fit.iterations(), fit.converged());
  }

  @Override
  public String toString() {
    return "KMeans" + parameters();
  }
}
