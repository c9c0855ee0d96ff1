package dev.privseg.anonymization.dp;

import dev.privseg.core.Checks;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.release.PrivacyLoss;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.LabelDependence;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentationResult;
import dev.privseg.core.segment.Segmenter;
import dev.privseg.core.segment.kmeans.Chunk;
import dev.privseg.core.segment.kmeans.ChunkStep;
import dev.privseg.core.segment.kmeans.ChunkedFit;
import dev.privseg.core.segment.kmeans.ChunkedRows;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Differentially private k-means ("DPLloyd", Blum et al. 2005; Su et al. 2016): the centres are
 * released only through noisy per-cluster counts and sums, so the centres satisfy pure ε-DP
 * (add/remove one subject). The ε is split evenly over the iterations and, within one, between
 * counts (sensitivity 1) and sums (L1 sensitivity {@code d}, every feature lying in
 * {@code [-1, 1]}); each person is in one cluster, so clusters compose in parallel. Rows are then
 * assigned to the nearest released centre: a row's label depends only on that row and on the
 * private centres ({@link LabelDependence#ROW_AND_DP_PARAMETERS}), so differentially private
 * profiles of the segments compose with the centres. The assignments themselves are the
 * controller's (personal) data. Sums use fixed-point integers (1/1000 of a unit) so the noise is
 * the exact discrete Laplace.
 *
 * <p><b>Scaling never depends on the data.</b> DP k-means reads the rows' values, not a feature
 * matrix someone else scaled: every numeric field is rescaled from the bounds declared with
 * {@link #bounds} to {@code [-1, 1]} (midpoint 0; missing values sit at the midpoint), and every
 * categorical field is one-hot over the categories its schema declares (a missing value is all
 * zeros). A numeric field without declared bounds, a categorical field without declared
 * categories, or a field of another type is refused before any budget is spent, so neither the
 * data's mean and spread nor which categories occur can reach the centres.
 * {@link #fit(FeatureMatrix, SegmentContext)} reads the values the matrix carries and ignores its
 * scaled features for the same reason; a matrix without values is refused.
 *
 * <p>The starting centres are data-independent (seeded random points in the middle third of the
 * declared box, {@code [-1/3, 1/3]^d}), so they cost no budget. Against the bad local optima a
 * random start falls into, the first third of the iterations runs with 3k centres: clusters
 * compose in parallel, so more centres cost no more budget. Then the centres are reduced to k by
 * a seeded k-means of the released centres weighted by their noisy counts, which is
 * post-processing.
 */
public final class DpKMeans implements Segmenter {
  private static final long SCALE = 1000;
  private final int k;
  private final int iterations;
  private final long seed;
  private final PrivacyAccountant accountant;
  private final Rational epsilon;
  private final SecureRandom random;
  private final Map<String, double[]> bounds;

  private DpKMeans(int k, int iterations, long seed, PrivacyAccountant accountant,
      Rational epsilon, SecureRandom random, Map<String, double[]> bounds) {
    this.k = k;
    this.iterations = iterations;
    this.seed = seed;
    this.accountant = accountant;
    this.epsilon = epsilon;
    this.random = random;
    this.bounds = bounds;
  }

  /** DP k-means with {@code k} clusters spending {@code epsilon} of {@code accountant}. */
  public static DpKMeans clusters(int k, PrivacyAccountant accountant, Rational epsilon) {
    Checks.atLeast(k, 2, "clusters");
    Checks.notNull(accountant, "accountant");
    Rational.mechanismParameter(epsilon, "epsilon");
    return new DpKMeans(k, 12, 0, accountant, epsilon, new SecureRandom(), Map.of());
  }

  /**
   * Declares the range of numeric feature {@code field}: values are clamped to
   * {@code [min, max]} and scaled to {@code [-1, 1]}. Required for every numeric feature in a
   * pipeline; never derived from the data.
   */
  public DpKMeans bounds(String field, double min, double max) {
    Checks.notBlank(field, "field");
    Checks.check(Double.isFinite(min) && Double.isFinite(max) && min < max,
        "bounds of '%s' must be finite with min < max", field);
    Map<String, double[]> b = new LinkedHashMap<>(bounds);
    b.put(field, new double[] {min, max});
    return new DpKMeans(k, iterations, seed, accountant, epsilon, random,
        java.util.Collections.unmodifiableMap(b));
  }

  /**
   * Noisy iterations (default 12): more iterations, less ε each. The first third runs with 3k
   * centres (see the class documentation).
   */
  public DpKMeans iterations(int iterations) {
    Checks.atLeast(iterations, 1, "iterations");
    return new DpKMeans(k, iterations, seed, accountant, epsilon, random, bounds);
  }

  /** The seed of the data-independent starting centres. */
  public DpKMeans seed(long seed) {
    return new DpKMeans(k, iterations, seed, accountant, epsilon, random, bounds);
  }

  /**
   * The same fit from other starting centres, for the pipeline's stability measure. Each such
   * refit spends this fit's epsilon from the same accountant, so a run that asks for stability
   * needs budget for it; one that would overspend fails before anything is released.
   */
  @Override
  public java.util.Optional<dev.privseg.core.segment.Segmenter> withSeed(long seed) {
    return java.util.Optional.of(seed(seed));
  }

  /** The noise source (default a new {@link SecureRandom}). */
  public DpKMeans random(SecureRandom random) {
    return new DpKMeans(k, iterations, seed, accountant, epsilon,
        Checks.notNull(random, "random"), bounds);
  }

  @Override
  public String description() {
    return "differentially private k-means (DPLloyd)";
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("k", k);
    p.put("epsilon", epsilon.toString());
    p.put("iterations", iterations);
    Map<String, String> declared = new LinkedHashMap<>();
    bounds.forEach((f, b) -> declared.put(f, "[" + b[0] + ", " + b[1] + "]"));
    p.put("bounds", declared);
    p.put("seed", seed);
    return p;
  }

  /** DP k-means reads the rows' values and scales them from declared bounds only. */
  @Override
  public boolean readsValues() {
    return true;
  }

  /** Each row goes to its nearest private centre: its label depends on it and the centres. */
  @Override
  public LabelDependence labelDependence() {
    return LabelDependence.ROW_AND_DP_PARAMETERS;
  }

  /** The pure ε of the centres, spent from the accountant on every fit. */
  @Override
  public java.util.Optional<PrivacyLoss> privacyLoss() {
    return java.util.Optional.of(PrivacyLoss.pure(epsilon.toString()));
  }

  /**
   * Fits on the rows' values, {@link FeatureMatrix#values()}: every field of them is a feature,
   * scaled from the declared bounds and categories; the matrix's own data-dependent scaling is
   * never read, as it would leak through the centres. Spends this fit's ε first.
   *
   * @throws dev.privseg.core.ConfigurationException if the matrix carries no values, or a field
   *     has no declared bounds or categories, before anything is spent
   */
  @Override
  public SegmentationResult fit(FeatureMatrix features, SegmentContext context) {
    return fit(features.valuesFor("DP k-means"), context);
  }

  /** Fits on {@code data}'s fields outside a pipeline: every field of it is a feature. */
  public SegmentationResult fit(Dataset data, SegmentContext context) {
    Schema.Builder fields = Schema.builder();
    data.columns().forEach(c -> fields.add(c.field()));
    ChunkedRows rows = DpFeatures.chunks(data, scaling(fields.build()));
    return result(rows, fit(rows, context));
  }

  /**
   * How this fit makes features of {@code fields} (in that order): each numeric field scaled
   * from its declared bounds to {@code [-1, 1]}, each categorical field one-hot over its declared
   * categories, in their declared order. An engine that holds the rows itself makes their
   * features with it before {@link #fit(ChunkedRows, SegmentContext)}.
   *
   * @throws dev.privseg.core.ConfigurationException naming a numeric field without declared
   *     bounds, a categorical field without declared categories, or a field of another type
   */
  public Scaling scaling(Schema fields) {
    return DpFeatures.scaling(Checks.notNull(fields, "fields"), bounds, "DP k-means");
  }

  /**
   * How {@link DpKMeans} makes a field's features: made by {@link DpKMeans#scaling}, from
   * declared bounds and categories only. Serializable, to be sent to where the rows are held.
   */
  public static final class Scaling implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final List<String> names;
    private final double[] mid;
    private final double[] half;

    Scaling(List<String> names, List<double[]> numericBounds) {
      this.names = List.copyOf(names);
      this.mid = new double[numericBounds.size()];
      this.half = new double[numericBounds.size()];
      for (int i = 0; i < mid.length; i++) {
        double[] b = numericBounds.get(i);
        mid[i] = (b[0] + b[1]) / 2;
        half[i] = (b[1] - b[0]) / 2;
      }
    }

    /** The number of features per row: one per numeric field, one per declared category. */
    public int features() {
      return names.size();
    }

    /** The features' names ({@code field} or {@code field=category}), in order. */
    public List<String> featureNames() {
      return names;
    }

    /**
     * The {@code numeric}-th numeric field's present {@code value}, scaled into {@code [-1, 1]}
     * (a missing value's feature is 0).
     */
    public double scale(int numeric, double value) {
      return Math.max(-1, Math.min(1, (value - mid[numeric]) / half[numeric]));
    }

    @Override
    public String toString() {
      return "DpKMeans.Scaling" + names;
    }
  }

  /**
   * The L1 sensitivity, in fixed-point units, of one row's clamped sums: {@code d} features, each
   * at most {@code |round(±limit · SCALE)|}, rounded up so the noise is never too small.
   */
  static long sumSensitivity(int d, double limit) {
    long perFeature = Math.max(Math.abs(Math.round(limit * SCALE)),
        Math.abs(Math.round(-limit * SCALE)));
    return Math.max(1, Math.multiplyExact((long) d, perFeature));
  }

  /** Fits on features already in {@code [-1, 1]}, scaled without looking at the data. */
  SegmentationResult fitScaled(FeatureMatrix features, SegmentContext context) {
    ChunkedRows rows = ChunkedRows.inMemory(features, context);
    return result(rows, fit(rows, context));
  }

  /** A local fit's result, with every row's segment. */
  private SegmentationResult result(ChunkedRows rows, ChunkedFit fit) {
    return new SegmentationResult(rows.labels(), k, fit.centroids(), fit.inertia(),
        fit.iterations(), fit.converged(), fit.details());
  }

  /**
   * Fits on rows held in chunks (an engine's partitions, say) whose features {@link #scaling}
   * made: each pass over the rows runs on the chunks and sends back integer counts and
   * fixed-point sums, which are added in chunk order here; the noise is drawn here, on the
   * caller's thread, never where the chunks are. Every row's segment stays in its chunk
   * ({@link dev.privseg.core.segment.kmeans.Chunk#label}). The same centres, segments and
   * figures as a fit on the same rows in one JVM with the same random source. Spends this fit's
   * ε first.
   */
  public ChunkedFit fit(ChunkedRows rows, SegmentContext context) {
    Checks.notNull(rows, "rows");
    Checks.notNull(context, "context");
    final double limit = 1.0;
    int d = rows.cols();
    // No check that n >= k: whether a run fails must not depend on how many subjects it holds.
    accountant.spendPure("DP k-means centres (" + iterations + " iterations)", epsilon);
    // Per iteration: half of epsilon / iterations for counts, half for sums.
    Rational half = new Rational(epsilon.num(), epsilon.den().multiply(
        BigInteger.valueOf(2L * iterations)));
    long sumSensitivity = sumSensitivity(d, limit);
    DiscreteLaplace countNoise = DiscreteLaplace.forEpsilon(half, 1, random);
    DiscreteLaplace sumNoise = DiscreteLaplace.forEpsilon(half, sumSensitivity, random);
    // Over-seeding: the first iterations run with 3k data-independent centres (clusters compose
    // in parallel, so more centres cost no more budget), then the centres are reduced to k by a
    // weighted k-means of the centres by their noisy counts (post-processing, no data).
    int seeded = iterations >= 3 ? 3 * k : k;
    int early = seeded > k ? Math.max(1, iterations / 3) : 0;
    SplittableRandom start = new SplittableRandom(seed);
    double[] centres = new double[seeded * d];
    for (int i = 0; i < centres.length; i++) {
      // The middle third of the declared box: generously declared bounds leave the data there.
      centres[i] = (start.nextDouble() * 2 - 1) / 3;
    }
    long[] lastCounts = new long[seeded];
    for (int it = 0; it < iterations; it++) {
      context.checkCancelled();
      if (it == early && seeded > k) {
        centres = reduce(centres, lastCounts, seeded, d, start);
      }
      int m = centres.length / d;
      // Per centre: its members, then their fixed-point feature sums (exact: integers).
      long[] totals = new long[m + m * d];
      for (long[] part : rows.update(new Tally(centres.clone(), m, d, limit))) {
        for (int i = 0; i < totals.length; i++) {
          totals[i] += part[i];
        }
      }
      for (int c = 0; c < m; c++) {
        long noisyCount = totals[c] + countNoise.sample();
        lastCounts[c] = Math.max(0, noisyCount);
        if (noisyCount < 1) {
          continue; // too few members to place it reliably: the centre stays
        }
        for (int j = 0; j < d; j++) {
          double mean = (totals[m + c * d + j] + sumNoise.sample()) / (double) (SCALE * noisyCount);
          centres[c * d + j] = clamp(mean, limit);
        }
      }
      context.progress(it + 1, iterations);
    }
    // Every row to its nearest released centre; sizes and inertia by chunk, added in order.
    long[] sizes = new long[k];
    double inertia = 0;
    for (double[] part : rows.update(new Assign(centres.clone(), k, d))) {
      inertia += part[k];
      for (int c = 0; c < k; c++) {
        sizes[c] += (long) part[c];
      }
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("epsilon", epsilon.toString());
    details.put("delta", "0");
    details.put("spentEpsilon", accountant.spentEpsilon().toString());
    return new ChunkedFit(k, centres, sizes, inertia, iterations, true, details);
  }

  /**
   * One noisy iteration's pass over a chunk: per centre, how many rows are nearest to it, then
   * the sums of their features clamped to the limit, in fixed point.
   */
  private static final class Tally implements ChunkStep<long[]> {
    private static final long serialVersionUID = 1L;
    private final double[] centres;
    private final int m;
    private final int d;
    private final double limit;

    Tally(double[] centres, int m, int d, double limit) {
      this.centres = centres;
      this.m = m;
      this.d = d;
      this.limit = limit;
    }

    @Override
    public long[] apply(Chunk chunk) {
      long[] out = new long[m + m * d];
      double[] x = new double[d];
      for (int r = 0; r < chunk.rows(); r++) {
        chunk.copyRow(r, x, 0);
        int c = nearest(x, 0, centres, d, m);
        out[c]++;
        for (int j = 0; j < d; j++) {
          out[m + c * d + j] += Math.round(clamp(x[j], limit) * SCALE);
        }
      }
      return out;
    }
  }

  /**
   * The last pass over a chunk: each row assigned to its nearest centre; gives back the
   * segments' sizes and, last, the chunk's inertia (summed in row order).
   */
  private static final class Assign implements ChunkStep<double[]> {
    private static final long serialVersionUID = 1L;
    private final double[] centres;
    private final int k;
    private final int d;

    Assign(double[] centres, int k, int d) {
      this.centres = centres;
      this.k = k;
      this.d = d;
    }

    @Override
    public double[] apply(Chunk chunk) {
      double[] out = new double[k + 1];
      double[] x = new double[d];
      for (int r = 0; r < chunk.rows(); r++) {
        chunk.copyRow(r, x, 0);
        int c = nearest(x, 0, centres, d, k);
        chunk.assign(r, c);
        out[c]++;
        for (int j = 0; j < d; j++) {
          double diff = x[j] - centres[c * d + j];
          out[k] += diff * diff;
        }
      }
      return out;
    }
  }

  private static double clamp(double v, double limit) {
    return Math.max(-limit, Math.min(limit, v));
  }

  /**
   * k centres from {@code m} weighted ones: k-means++ seeding by weight times squared distance,
   * then Lloyd steps on the weighted centres. Uses only released values, so costs no budget.
   */
  private double[] reduce(double[] centres, long[] weights, int m, int d,
      SplittableRandom random) {
    double[] out = new double[k * d];
    double[] dist = new double[m];
    java.util.Arrays.fill(dist, Double.POSITIVE_INFINITY);
    for (int c = 0; c < k; c++) {
      double total = 0;
      for (int p = 0; p < m; p++) {
        total += c == 0 ? weights[p] : weights[p] * dist[p];
      }
      int chosen = random.nextInt(m);
      if (total > 0) {
        double target = random.nextDouble() * total;
        for (int p = 0; p < m; p++) {
          target -= c == 0 ? weights[p] : weights[p] * dist[p];
          if (target <= 0) {
            chosen = p;
            break;
          }
        }
      }
      System.arraycopy(centres, chosen * d, out, c * d, d);
      for (int p = 0; p < m; p++) {
        double s = 0;
        for (int j = 0; j < d; j++) {
          double diff = centres[p * d + j] - out[c * d + j];
          s += diff * diff;
        }
        dist[p] = Math.min(dist[p], s);
      }
    }
    for (int step = 0; step < 20; step++) {
      double[] sums = new double[k * d];
      double[] mass = new double[k];
      for (int p = 0; p < m; p++) {
        int c = nearest(centres, p * d, out, d, k);
        mass[c] += weights[p];
        for (int j = 0; j < d; j++) {
          sums[c * d + j] += weights[p] * centres[p * d + j];
        }
      }
      for (int c = 0; c < k; c++) {
        if (mass[c] > 0) {
          for (int j = 0; j < d; j++) {
            out[c * d + j] = sums[c * d + j] / mass[c];
          }
        }
      }
    }
    return out;
  }

  private static int nearest(double[] x, int base, double[] centres, int d, int k) {
    int best = 0;
    double bestDist = Double.POSITIVE_INFINITY;
    for (int c = 0; c < k; c++) {
      double s = 0;
      for (int j = 0; j < d; j++) {
        double diff = x[base + j] - centres[c * d + j];
        s += diff * diff;
      }
      if (s < bestDist) {
        bestDist = s;
        best = c;
      }
    }
    return best;
  }

  @Override
  public String toString() {
    return "DpKMeans" + parameters();
  }
}
