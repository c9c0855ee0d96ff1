package dev.privseg.core.segment.kprototypes;

import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.CategoricalColumn;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.NumberColumn;
import dev.privseg.core.internal.Parallel;
import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentationResult;
import dev.privseg.core.segment.Segmenter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * k-prototypes (Huang 1998) for mixed numeric and categorical fields without one-hot blow-up: the
 * distance of a row to a prototype is the squared Euclidean distance over the standardized numeric
 * fields plus {@code gamma} times the number of categorical fields that differ from the
 * prototype's modes. Prototypes start by D²-weighted seeding on that distance; each iteration
 * assigns rows in parallel chunks (reduced in chunk order, so results do not depend on the number
 * of threads) and recomputes means and modes. Missing numeric values count as the mean, missing
 * categories as a mismatch. Immutable and thread-safe.
 */
public final class KPrototypes implements Segmenter {
  private static final int CHUNK = 8192;
  private final int clusters;
  private final long seed;
  private final int maxIterations;
  private final double gamma;

  private KPrototypes(int clusters, long seed, int maxIterations, double gamma) {
    this.clusters = clusters;
    this.seed = seed;
    this.maxIterations = maxIterations;
    this.gamma = gamma;
  }

  /** k-prototypes with {@code k} clusters, seed 0, 100 iterations, gamma 0.5. */
  public static KPrototypes clusters(int k) {
    Checks.atLeast(k, 2, "clusters");
    return new KPrototypes(k, 0, 100, 0.5);
  }

  /** The seed. */
  public KPrototypes seed(long seed) {
    return new KPrototypes(clusters, seed, maxIterations, gamma);
  }

  /** The iteration limit. */
  public KPrototypes maxIterations(int maxIterations) {
    Checks.atLeast(maxIterations, 1, "maxIterations");
    return new KPrototypes(clusters, seed, maxIterations, gamma);
  }

  /**
   * The weight of one categorical mismatch against squared distances of standardized numbers
   * (Huang suggests a third to two thirds of the numeric standard deviation, i.e. of 1 here).
   */
  public KPrototypes gamma(double gamma) {
    Checks.check(gamma > 0 && Double.isFinite(gamma), "gamma must be > 0 but was %s", gamma);
    return new KPrototypes(clusters, seed, maxIterations, gamma);
  }

  @Override
  public String description() {
    return "k-prototypes";
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("k", clusters);
    p.put("seed", seed);
    p.put("maxIterations", maxIterations);
    p.put("gamma", gamma);
    return p;
  }

  @Override
  public Optional<Segmenter> withSeed(long seed) {
    return Optional.of(seed(seed));
  }

  /** Fits on the rows' values, {@link FeatureMatrix#values()}: numbers and categories. */
  @Override
  public SegmentationResult fit(FeatureMatrix features, SegmentContext context) {
    Dataset data = features.valuesFor("k-prototypes");
    List<NumberColumn> numeric = new ArrayList<>();
    List<CategoricalColumn> categorical = new ArrayList<>();
    for (Column c : data.columns()) {
      if (c instanceof NumberColumn n && c.field().isNumeric()) {
        numeric.add(n);
      } else if (c instanceof CategoricalColumn cat) {
        categorical.add(cat);
      } else {
        throw new ConfigurationException("k-prototypes cannot use field '" + c.name()
            + "' of type " + c.field().type());
      }
    }
    int n = data.rowCount();
    Checks.check(n >= clusters, "k-prototypes needs at least k=%s rows but got %s", clusters, n);
    // The numeric fields standardized exactly as for every other segmenter.
    double[] x = numeric.isEmpty() ? new double[0] : FeatureMatrix.encode(data,
        numeric.stream().map(NumberColumn::name).toList()).data();
    return new Fit(n, x, numeric.size(), codes(categorical, n), categorical, context).run();
  }

  private static int[] codes(List<CategoricalColumn> categorical, int n) {
    int dc = categorical.size();
    int[] codes = new int[n * dc];
    for (int j = 0; j < dc; j++) {
      for (int r = 0; r < n; r++) {
        codes[r * dc + j] = categorical.get(j).code(r);
      }
    }
    return codes;
  }

  /** One fit. */
  private final class Fit {
    final int n;
    final double[] x;
    final int dn;
    final int[] codes;
    final int dc;
    final int[] cardinality;
    final SegmentContext context;
    final int chunks;

    Fit(int n, double[] x, int dn, int[] codes, List<CategoricalColumn> categorical,
        SegmentContext context) {
      this.n = n;
      this.x = x;
      this.dn = dn;
      this.codes = codes;
      this.dc = categorical.size();
      this.cardinality = categorical.stream().mapToInt(CategoricalColumn::cardinality).toArray();
      this.context = context;
      this.chunks = (n + CHUNK - 1) / CHUNK;
    }

    double distance(int row, double[] means, int[] modes, int c) {
      double s = 0;
      for (int j = 0; j < dn; j++) {
        double diff = x[row * dn + j] - means[c * dn + j];
        s += diff * diff;
      }
      int mismatches = 0;
      for (int j = 0; j < dc; j++) {
        int code = codes[row * dc + j];
        if (code < 0 || code != modes[c * dc + j]) {
          mismatches++;
        }
      }
      return s + gamma * mismatches;
    }

    SegmentationResult run() {
      int k = clusters;
      double[] means = new double[k * dn];
      int[] modes = new int[k * dc];
      seedPrototypes(means, modes);
      int[] labels = new int[n];
      java.util.Arrays.fill(labels, -1);
      double[][] sums = new double[chunks][];
      long[][] counts = new long[chunks][];
      long[][] catCounts = new long[chunks][];
      double[] cost = new double[chunks];
      long[] changed = new long[chunks];
      int[] catOffset = new int[dc + 1];
      for (int j = 0; j < dc; j++) {
        catOffset[j + 1] = catOffset[j] + cardinality[j];
      }
      final int categories = catOffset[dc];
      int iteration = 0;
      boolean converged = false;
      double total = 0;
      while (iteration < maxIterations) {
        context.checkCancelled();
        final double[] m = means;
        final int[] md = modes;
        Parallel.forEachChunk(context.executor(), context.parallelism(), chunks, chunk -> {
          double[] s = new double[k * dn];
          long[] cnt = new long[k];
          long[] cc = new long[k * categories];
          double chunkCost = 0;
          long chunkChanged = 0;
          int to = Math.min(n, (chunk + 1) * CHUNK);
          for (int r = chunk * CHUNK; r < to; r++) {
            int best = 0;
            double bestDist = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
              double d = distance(r, m, md, c);
              if (d < bestDist) {
                bestDist = d;
                best = c;
              }
            }
            if (labels[r] != best) {
              labels[r] = best;
              chunkChanged++;
            }
            chunkCost += bestDist;
            cnt[best]++;
            for (int j = 0; j < dn; j++) {
              s[best * dn + j] += x[r * dn + j];
            }
            for (int j = 0; j < dc; j++) {
              int code = codes[r * dc + j];
              if (code >= 0) {
                cc[best * categories + catOffset[j] + code]++;
              }
            }
          }
          sums[chunk] = s;
          counts[chunk] = cnt;
          catCounts[chunk] = cc;
          cost[chunk] = chunkCost;
          changed[chunk] = chunkChanged;
        });
        iteration++;
        double[] s = new double[k * dn];
        long[] cnt = new long[k];
        long[] cc = new long[k * categories];
        total = 0;
        long moved = 0;
        for (int chunk = 0; chunk < chunks; chunk++) {
          for (int i = 0; i < s.length; i++) {
            s[i] += sums[chunk][i];
          }
          for (int c = 0; c < k; c++) {
            cnt[c] += counts[chunk][c];
          }
          for (int i = 0; i < cc.length; i++) {
            cc[i] += catCounts[chunk][i];
          }
          total += cost[chunk];
          moved += changed[chunk];
        }
        means = new double[k * dn];
        modes = modes.clone();
        for (int c = 0; c < k; c++) {
          if (cnt[c] == 0) {
            System.arraycopy(m, c * dn, means, c * dn, dn); // an empty cluster keeps its place
            continue;
          }
          for (int j = 0; j < dn; j++) {
            means[c * dn + j] = s[c * dn + j] / cnt[c];
          }
          for (int j = 0; j < dc; j++) {
            int best = modes[c * dc + j];
            long bestCount = -1;
            for (int code = 0; code < cardinality[j]; code++) {
              long v = cc[c * categories + catOffset[j] + code];
              if (v > bestCount) {
                bestCount = v;
                best = code;
              }
            }
            modes[c * dc + j] = best;
          }
        }
        context.progress(iteration, maxIterations);
        if (moved == 0) {
          converged = true;
          break;
        }
      }
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("cost", total);
      return new SegmentationResult(labels, k, means, total, iteration, converged, details);
    }

    /** D²-weighted seeding on the mixed distance, from the seed. */
    void seedPrototypes(double[] means, int[] modes) {
      SplittableRandom random = new SplittableRandom(seed);
      int first = random.nextInt(n);
      copyRow(first, 0, means, modes);
      double[] nearest = new double[n];
      for (int c = 1; c < clusters; c++) {
        double total = 0;
        for (int r = 0; r < n; r++) {
          double d = distance(r, means, modes, c - 1);
          nearest[r] = c == 1 ? d : Math.min(nearest[r], d);
          total += nearest[r];
        }
        int chosen = random.nextInt(n);
        if (total > 0) {
          double target = random.nextDouble() * total;
          double cumulative = 0;
          for (int r = 0; r < n; r++) {
            cumulative += nearest[r];
            if (cumulative > target) {
              chosen = r;
              break;
            }
          }
        }
        copyRow(chosen, c, means, modes);
      }
    }

    void copyRow(int row, int c, double[] means, int[] modes) {
      System.arraycopy(x, row * dn, means, c * dn, dn);
      for (int j = 0; j < dc; j++) {
        modes[c * dc + j] = Math.max(0, codes[row * dc + j]);
      }
    }
  }

  @Override
  public String toString() {
    return "KPrototypes" + parameters();
  }
}
