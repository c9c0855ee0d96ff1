package dev.privseg.core.segment.gmm;

import dev.privseg.core.Checks;
import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentationResult;
import dev.privseg.core.segment.Segmenter;
import dev.privseg.core.segment.kmeans.Chunk;
import dev.privseg.core.segment.kmeans.ChunkStep;
import dev.privseg.core.segment.kmeans.ChunkedFit;
import dev.privseg.core.segment.kmeans.ChunkedRows;
import dev.privseg.core.segment.kmeans.ChunkedSegmenter;
import dev.privseg.core.segment.kmeans.KMeans;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Gaussian mixture with diagonal covariances, fitted by expectation-maximization (Dempster,
 * Laird &amp; Rubin 1977) from a seeded k-means start; each row goes to its most probable
 * component. With {@link #chooseK} the number of components is the one with the lowest BIC
 * (Schwarz 1978). The record gets the log-likelihood and BIC. Memory beyond the features is
 * {@code O(k·d)}: each EM pass streams the rows and accumulates sufficient statistics, chunk by
 * chunk, so that rows held elsewhere in chunks ({@link #fit(ChunkedRows, SegmentContext)}, on
 * Spark say) give the same fit to the last bit. Immutable and thread-safe.
 *
 * <pre>{@code
 * GaussianMixture.components(4).seed(42)
 * GaussianMixture.components(2).seed(42).chooseK(2, 8)   // lowest BIC
 * }</pre>
 */
public final class GaussianMixture implements ChunkedSegmenter {
  private static final double LOG_2PI = Math.log(2 * Math.PI);
  private final int components;
  private final long seed;
  private final int maxIterations;
  private final double tolerance;
  private final int chooseMin;
  private final int chooseMax;

  private GaussianMixture(int components, long seed, int maxIterations, double tolerance,
      int chooseMin, int chooseMax) {
    this.components = components;
    this.seed = seed;
    this.maxIterations = maxIterations;
    this.tolerance = tolerance;
    this.chooseMin = chooseMin;
    this.chooseMax = chooseMax;
  }

  /** A mixture of {@code k} components (at least 2), seed 0, 100 iterations. */
  public static GaussianMixture components(int k) {
    Checks.atLeast(k, 2, "components");
    return new GaussianMixture(k, 0, 100, 1e-6, 0, 0);
  }

  /** The seed of the k-means start. */
  public GaussianMixture seed(long seed) {
    return new GaussianMixture(components, seed, maxIterations, tolerance, chooseMin, chooseMax);
  }

  /** The EM iteration limit (at least 1). */
  public GaussianMixture maxIterations(int maxIterations) {
    Checks.atLeast(maxIterations, 1, "maxIterations");
    return new GaussianMixture(components, seed, maxIterations, tolerance, chooseMin, chooseMax);
  }

  /** Fits every k in {@code min..max} and keeps the lowest BIC. */
  public GaussianMixture chooseK(int min, int max) {
    Checks.atLeast(min, 2, "smallest k");
    Checks.check(max >= min, "largest k must be >= smallest k (%s) but was %s", min, max);
    return new GaussianMixture(components, seed, maxIterations, tolerance, min, max);
  }

  @Override
  public String description() {
    return chooseMin > 0 ? "Gaussian mixture (diagonal, EM), k chosen by BIC"
        : "Gaussian mixture (diagonal, EM)";
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    if (chooseMin > 0) {
      p.put("kRange", chooseMin + ".." + chooseMax);
    } else {
      p.put("k", components);
    }
    p.put("seed", seed);
    p.put("maxIterations", maxIterations);
    p.put("covariance", "diagonal");
    p.put("initialization", "k-means");
    return p;
  }

  @Override
  public Optional<Segmenter> withSeed(long seed) {
    return Optional.of(seed(seed));
  }

  @Override
  public SegmentationResult fit(FeatureMatrix features, SegmentContext context) {
    ChunkedRows rows = ChunkedRows.inMemory(features, context);
    ChunkedFit fit = fit(rows, context);
    return new SegmentationResult(rows.labels(), fit.segments(), fit.centroids(), fit.inertia(),
        fit.iterations(), fit.converged(), fit.details());
  }

  /**
   * Fits on rows held in chunks where an engine keeps them (Spark's executors, say): the same
   * components, log-likelihood, BIC and, left in each chunk ({@link Chunk#label}), the same
   * segments as {@link #fit(FeatureMatrix, SegmentContext)} on the same rows in one matrix, to
   * the last bit, however the chunks are spread. Every pass over the rows (the k-means start,
   * each EM iteration, the final assignment) is a {@link ChunkStep} the rows' holder runs; its
   * sums are added here, in chunk order.
   *
   * @throws dev.privseg.core.ConfigurationException if there are fewer rows than components
   */
  @Override
  public ChunkedFit fit(ChunkedRows rows, SegmentContext context) {
    Checks.notNull(rows, "rows");
    Checks.notNull(context, "context");
    if (chooseMin == 0) {
      return assign(rows, em(rows, components, context), Map.of());
    }
    Map<String, Object> bicByK = new LinkedHashMap<>();
    Model best = null;
    int top = Math.min(chooseMax, rows.rows());
    for (int k = chooseMin; k <= top; k++) {
      Model m = em(rows, k, context);
      bicByK.put(Integer.toString(k), m.bic());
      if (best == null || m.bic() < best.bic()) {
        best = m;
      }
    }
    Checks.check(best != null, "choosing k needs at least %s rows", chooseMin);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("criterion", "BIC");
    details.put("bicByK", bicByK);
    details.put("chosenK", best.k());
    return assign(rows, best, details);
  }

  /**
   * A fitted mixture: per component its mean and variance per feature (row-major) and weight;
   * the log-likelihood and BIC of the rows; the iterations run.
   */
  private record Model(int k, double[] mean, double[] var, double[] weight,
      double logLikelihood, double bic, int iterations, boolean converged) {}

  /** EM from a seeded k-means start, for {@code k} components. */
  private Model em(ChunkedRows rows, int k, SegmentContext context) {
    Checks.check(rows.rows() >= k, "a mixture of %s components needs at least %s rows but got %s",
        k, k, rows.rows());
    int n = rows.rows();
    int d = rows.cols();
    ChunkedFit start = KMeans.clusters(k).seed(seed).maxIterations(10).fit(rows, context);
    double[] mean = start.centroids();
    double[] weight = new double[k];
    long[] sizes = start.sizes();
    double[] var = sum(rows.update(chunk -> spread(chunk, k, mean)), k * d);
    for (int c = 0; c < k; c++) {
      weight[c] = Math.max(sizes[c], 1) / (double) n;
      for (int j = 0; j < d; j++) {
        var[c * d + j] = Math.max(var[c * d + j] / Math.max(sizes[c], 1), floor());
      }
    }
    double previous = Double.NEGATIVE_INFINITY;
    double logLikelihood = 0;
    int iteration = 0;
    boolean converged = false;
    while (iteration < maxIterations) {
      context.checkCancelled();
      double[] constant = constants(k, d, var, weight);
      // Per chunk: the log-likelihood, then per component the responsibilities' sum and the
      // responsibility-weighted sums of each feature and of its square.
      double[] sums = sum(rows.update(chunk -> expectation(chunk, k, mean, var, constant)),
          1 + k + 2 * k * d);
      logLikelihood = sums[0];
      for (int c = 0; c < k; c++) {
        double w = Math.max(sums[1 + c], 1e-12);
        weight[c] = w / n;
        for (int j = 0; j < d; j++) {
          double mu = sums[1 + k + c * d + j] / w;
          mean[c * d + j] = mu;
          var[c * d + j] = Math.max(sums[1 + k + k * d + c * d + j] / w - mu * mu, floor());
        }
      }
      iteration++;
      context.progress(iteration, maxIterations);
      if (logLikelihood - previous <= tolerance * Math.abs(logLikelihood)) {
        converged = true;
        break;
      }
      previous = logLikelihood;
    }
    int parameters = k * 2 * d + (k - 1);
    double bic = -2 * logLikelihood + parameters * Math.log(n);
    return new Model(k, mean, var, weight, logLikelihood, bic, iteration, converged);
  }

  /**
   * Assigns each row to its most probable component of {@code m}, leaving it in the row's chunk,
   * and gives the fit with the components' means as centroids, {@code more} details added.
   */
  private static ChunkedFit assign(ChunkedRows rows, Model m, Map<String, Object> more) {
    int k = m.k();
    int d = rows.cols();
    double[] mean = m.mean();
    double[] var = m.var();
    double[] constant = constants(k, d, var, m.weight());
    // Per chunk: the squared distances to the assigned means, then each component's size.
    double[] sums = sum(rows.update(chunk -> assignment(chunk, k, mean, var, constant)), 1 + k);
    long[] sizes = new long[k];
    for (int c = 0; c < k; c++) {
      sizes[c] = (long) sums[1 + c];
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("logLikelihood", m.logLikelihood());
    details.put("bic", m.bic());
    details.putAll(more);
    return new ChunkedFit(k, mean, sizes, sums[0], m.iterations(), m.converged(), details);
  }

  /** The chunks' sums, added in chunk order. */
  private static double[] sum(List<double[]> parts, int size) {
    double[] total = new double[size];
    for (double[] part : parts) {
      for (int i = 0; i < size; i++) {
        total[i] += part[i];
      }
    }
    return total;
  }

  /** Per k-means segment and feature, the chunk's squared distances to the segment's mean. */
  private static double[] spread(Chunk chunk, int k, double[] mean) {
    int d = chunk.cols();
    double[] out = new double[k * d];
    double[] x = chunk.values();
    for (int r = 0; r < chunk.rows(); r++) {
      int c = chunk.label(r);
      for (int j = 0; j < d; j++) {
        double diff = x[r * d + j] - mean[c * d + j];
        out[c * d + j] += diff * diff;
      }
    }
    return out;
  }

  /** The E step's sums over a chunk's rows; see {@link #em}. */
  private static double[] expectation(Chunk chunk, int k, double[] mean, double[] var,
      double[] constant) {
    int d = chunk.cols();
    double[] out = new double[1 + k + 2 * k * d];
    double[] x = chunk.values();
    double[] logp = new double[k];
    for (int i = 0; i < chunk.rows(); i++) {
      double norm = responsibilities(x, i * d, d, k, mean, var, constant, logp);
      out[0] += norm;
      for (int c = 0; c < k; c++) {
        double r = Math.exp(logp[c] - norm);
        out[1 + c] += r;
        for (int j = 0; j < d; j++) {
          double v = x[i * d + j];
          out[1 + k + c * d + j] += r * v;
          out[1 + k + k * d + c * d + j] += r * v * v;
        }
      }
    }
    return out;
  }

  /** Assigns a chunk's rows to their most probable components; see {@link #assign}. */
  private static double[] assignment(Chunk chunk, int k, double[] mean, double[] var,
      double[] constant) {
    int d = chunk.cols();
    double[] out = new double[1 + k];
    double[] x = chunk.values();
    double[] logp = new double[k];
    for (int i = 0; i < chunk.rows(); i++) {
      responsibilities(x, i * d, d, k, mean, var, constant, logp);
      int best = 0;
      for (int c = 1; c < k; c++) {
        if (logp[c] > logp[best]) {
          best = c;
        }
      }
      chunk.assign(i, best);
      out[1 + best]++;
      for (int j = 0; j < d; j++) {
        double diff = x[i * d + j] - mean[best * d + j];
        out[0] += diff * diff;
      }
    }
    return out;
  }

  private static double floor() {
    return 1e-6;
  }

  /** Per component, log weight minus half the log normalizer of its diagonal Gaussian. */
  private static double[] constants(int k, int d, double[] var, double[] weight) {
    double[] constant = new double[k];
    for (int c = 0; c < k; c++) {
      double s = Math.log(weight[c]);
      for (int j = 0; j < d; j++) {
        s -= 0.5 * (LOG_2PI + Math.log(var[c * d + j]));
      }
      constant[c] = s;
    }
    return constant;
  }

  /** Fills {@code logp} with log(weight · density) per component; returns their log-sum-exp. */
  private static double responsibilities(double[] x, int base, int d, int k, double[] mean,
      double[] var, double[] constant, double[] logp) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < k; c++) {
      double s = 0;
      for (int j = 0; j < d; j++) {
        double diff = x[base + j] - mean[c * d + j];
        s += diff * diff / var[c * d + j];
      }
      logp[c] = constant[c] - 0.5 * s;
      max = Math.max(max, logp[c]);
    }
    double sum = 0;
    for (int c = 0; c < k; c++) {
      sum += Math.exp(logp[c] - max);
    }
    return max + Math.log(sum);
  }

  @Override
  public String toString() {
    return "GaussianMixture" + parameters();
  }
}
