package dev.privseg.core.segment.gmm;

import dev.privseg.core.Checks;
import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentationResult;
import dev.privseg.core.segment.Segmenter;
import dev.privseg.core.segment.kmeans.KMeans;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A Gaussian mixture with diagonal covariances, fitted by expectation-maximization (Dempster,
 * Laird &amp; Rubin 1977) from a seeded k-means start; each row goes to its most probable
 * component. With {@link #chooseK} the number of components is the one with the lowest BIC
 * (Schwarz 1978). The record gets the log-likelihood and BIC. Memory beyond the features is
 * {@code O(k·d)}: each EM pass streams the rows and accumulates sufficient statistics. Immutable
 * and thread-safe.
 *
 * <pre>{@code
 * GaussianMixture.components(4).seed(42)
 * GaussianMixture.components(2).seed(42).chooseK(2, 8)   // lowest BIC
 * }</pre>
 */
public final class GaussianMixture implements Segmenter {
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
    if (chooseMin == 0) {
      return fitK(features, components, context);
    }
    Map<String, Object> bicByK = new LinkedHashMap<>();
    SegmentationResult best = null;
    double bestBic = Double.POSITIVE_INFINITY;
    int top = Math.min(chooseMax, features.rows());
    for (int k = chooseMin; k <= top; k++) {
      SegmentationResult r = fitK(features, k, context);
      double bic = (double) r.details().get("bic");
      bicByK.put(Integer.toString(k), bic);
      if (bic < bestBic) {
        bestBic = bic;
        best = r;
      }
    }
    Checks.check(best != null, "choosing k needs at least %s rows", chooseMin);
    Map<String, Object> details = new LinkedHashMap<>(best.details());
    details.put("criterion", "BIC");
    details.put("bicByK", bicByK);
    details.put("chosenK", best.segments());
    return best.withDetails(details);
  }

  private SegmentationResult fitK(FeatureMatrix m, int k, SegmentContext context) {
    Checks.check(m.rows() >= k, "a mixture of %s components needs at least %s rows but got %s",
        k, k, m.rows());
    int n = m.rows();
    int d = m.cols();
    double[] x = m.data();
    SegmentationResult start = KMeans.clusters(k).seed(seed).maxIterations(10).fit(m, context);
    double[] mean = start.centroids().clone();
    double[] var = new double[k * d];
    double[] weight = new double[k];
    int[] sizes = start.sizes();
    for (int i = 0; i < n; i++) {
      int c = start.labels()[i];
      for (int j = 0; j < d; j++) {
        double diff = x[i * d + j] - mean[c * d + j];
        var[c * d + j] += diff * diff;
      }
    }
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
    double[] logp = new double[k];
    while (iteration < maxIterations) {
      context.checkCancelled();
      double[] sumW = new double[k];
      double[] sumX = new double[k * d];
      double[] sumXX = new double[k * d];
      logLikelihood = 0;
      double[] constant = constants(k, d, var, weight);
      for (int i = 0; i < n; i++) {
        double norm = responsibilities(x, i * d, d, k, mean, var, constant, logp);
        logLikelihood += norm;
        for (int c = 0; c < k; c++) {
          double r = Math.exp(logp[c] - norm);
          sumW[c] += r;
          for (int j = 0; j < d; j++) {
            double v = x[i * d + j];
            sumX[c * d + j] += r * v;
            sumXX[c * d + j] += r * v * v;
          }
        }
      }
      for (int c = 0; c < k; c++) {
        double w = Math.max(sumW[c], 1e-12);
        weight[c] = w / n;
        for (int j = 0; j < d; j++) {
          double mu = sumX[c * d + j] / w;
          mean[c * d + j] = mu;
          var[c * d + j] = Math.max(sumXX[c * d + j] / w - mu * mu, floor());
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
    int[] labels = new int[n];
    double inertia = 0;
    double[] constant = constants(k, d, var, weight);
    for (int i = 0; i < n; i++) {
      responsibilities(x, i * d, d, k, mean, var, constant, logp);
      int best = 0;
      for (int c = 1; c < k; c++) {
        if (logp[c] > logp[best]) {
          best = c;
        }
      }
      labels[i] = best;
      for (int j = 0; j < d; j++) {
        double diff = x[i * d + j] - mean[best * d + j];
        inertia += diff * diff;
      }
    }
    int parameters = k * 2 * d + (k - 1);
    double bic = -2 * logLikelihood + parameters * Math.log(n);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("logLikelihood", logLikelihood);
    details.put("bic", bic);
    return new SegmentationResult(labels, k, mean, inertia, iteration, converged, details);
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
