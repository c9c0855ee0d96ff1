package dev.privseg.core.segment.kprototypes;

import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.CategoricalColumn;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.NumberColumn;
import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentationResult;
import dev.privseg.core.segment.Segmenter;
import dev.privseg.core.segment.kmeans.Chunk;
import dev.privseg.core.segment.kmeans.ChunkedFit;
import dev.privseg.core.segment.kmeans.ChunkedRows;
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
 * assigns rows chunk by chunk (added in chunk order, so that rows held in chunks elsewhere,
 * {@link #fit(ChunkedRows, int, int[], SegmentContext)}, on Spark say, give the same fit to the
 * last bit) and recomputes means and modes. Missing numeric values count as the mean, missing
 * categories as a mismatch. Immutable and thread-safe.
 */
public final class KPrototypes implements Segmenter {
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
    int dn = numeric.size();
    int dc = categorical.size();
    int cols = dn + dc;
    Checks.check(cols > 0, "k-prototypes needs at least one field but got none");
    // Each chunk's rows: the standardized numbers, then the categories' codes.
    Chunk[] held = new Chunk[(n + ChunkedRows.CHUNK - 1) / ChunkedRows.CHUNK];
    for (int c = 0; c < held.length; c++) {
      int from = c * ChunkedRows.CHUNK;
      int size = Math.min(ChunkedRows.CHUNK, n - from);
      double[] values = new double[size * cols];
      for (int r = 0; r < size; r++) {
        System.arraycopy(x, (from + r) * dn, values, r * cols, dn);
        for (int j = 0; j < dc; j++) {
          values[r * cols + dn + j] = categorical.get(j).code(from + r);
        }
      }
      held[c] = new Chunk(c, cols, values);
    }
    ChunkedRows chunks = ChunkedRows.inMemory(held, cols, context);
    ChunkedFit fit = fit(chunks, dn,
        categorical.stream().mapToInt(CategoricalColumn::cardinality).toArray(), context);
    return new SegmentationResult(chunks.labels(), fit.segments(), fit.centroids(),
        fit.inertia(), fit.iterations(), fit.converged(), fit.details());
  }

  /**
   * Fits on rows held in chunks where an engine keeps them (Spark's executors, say), each row
   * its {@code numeric} standardized numeric fields (0 where missing: the mean) followed by one
   * column per categorical field holding its category's code ({@code -1} where missing), the
   * field's categories numbered {@code 0 .. cardinality - 1}: the same prototypes, cost,
   * iterations and, left in each chunk ({@link Chunk#label}), the same segments as
   * {@link #fit(FeatureMatrix, SegmentContext)} on the same rows, to the last bit, however the
   * chunks are spread. The centroids are the prototypes' numeric means.
   *
   * @throws dev.privseg.core.ConfigurationException if there are fewer rows than clusters, or
   *     the rows' columns are not {@code numeric} plus one per categorical field
   */
  public ChunkedFit fit(ChunkedRows rows, int numeric, int[] cardinality,
      SegmentContext context) {
    Checks.notNull(rows, "rows");
    Checks.notNull(cardinality, "cardinality");
    Checks.notNull(context, "context");
    Checks.check(numeric >= 0 && rows.cols() == numeric + cardinality.length,
        "k-prototypes rows hold %s numeric fields and %s categorical ones, %s columns, "
            + "but have %s", numeric, cardinality.length, numeric + cardinality.length,
        rows.cols());
    Checks.check(rows.rows() >= clusters, "k-prototypes needs at least k=%s rows but got %s",
        clusters, rows.rows());
    return new Fit(rows, numeric, cardinality.clone(), gamma, context).run();
  }

  /** A chunk's part of an iteration: its rows' sums by prototype, cost and moves. */
  private record Part(double[] sums, long[] counts, long[] categories, double cost,
      long changed) implements java.io.Serializable {}

  /** One fit; every pass over the rows is a chunk step, its results added in chunk order. */
  private final class Fit {
    final ChunkedRows rows;
    final int n;
    final int dn;
    final int dc;
    final int[] cardinality;
    /** Per categorical field, its first category's place among all fields' categories. */
    final int[] catOffset;
    final double gamma;
    final SegmentContext context;

    Fit(ChunkedRows rows, int dn, int[] cardinality, double gamma, SegmentContext context) {
      this.rows = rows;
      this.n = rows.rows();
      this.dn = dn;
      this.dc = cardinality.length;
      this.cardinality = cardinality;
      this.catOffset = new int[dc + 1];
      for (int j = 0; j < dc; j++) {
        Checks.atLeast(cardinality[j], 1, "cardinality");
        catOffset[j + 1] = catOffset[j] + cardinality[j];
      }
      this.gamma = gamma;
      this.context = context;
    }

    ChunkedFit run() {
      int k = clusters;
      double[] means = new double[k * dn];
      int[] modes = new int[k * dc];
      seedPrototypes(means, modes);
      final int[] catOffset = this.catOffset;
      final int categories = catOffset[dc];
      int iteration = 0;
      boolean converged = false;
      double total = 0;
      long[] cnt = new long[k];
      while (iteration < maxIterations) {
        context.checkCancelled();
        final double[] m = means;
        final int[] md = modes;
        final boolean first = iteration == 0;
        final int numeric = dn;
        final double g = gamma;
        List<Part> parts = rows.update(chunk -> assign(chunk, k, numeric, m, md, g, catOffset,
            first));
        iteration++;
        double[] s = new double[k * dn];
        cnt = new long[k];
        long[] cc = new long[k * categories];
        total = 0;
        long moved = 0;
        for (Part part : parts) {
          for (int i = 0; i < s.length; i++) {
            s[i] += part.sums()[i];
          }
          for (int c = 0; c < k; c++) {
            cnt[c] += part.counts()[c];
          }
          for (int i = 0; i < cc.length; i++) {
            cc[i] += part.categories()[i];
          }
          total += part.cost();
          moved += part.changed();
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
      return new ChunkedFit(k, means, cnt, total, iteration, converged, details);
    }

    /**
     * D²-weighted seeding on the mixed distance, from the seed: each sweep a chunk step compares
     * every row with the newest prototype, keeps its distance to the nearest so far as the row's
     * weight in the chunk ({@link Chunk#weight}) and gives the chunk's total; the draw reads the
     * one chunk it falls in.
     */
    void seedPrototypes(double[] means, int[] modes) {
      SplittableRandom random = new SplittableRandom(seed);
      copyRow(random.nextInt(n), 0, means, modes);
      int numeric = dn;
      double g = gamma;
      int[] offsets = catOffset;
      for (int c = 1; c < clusters; c++) {
        final int newest = c - 1;
        final double[] m = means.clone();
        final int[] md = modes.clone();
        List<Double> totals = rows.update(chunk -> sweep(chunk, numeric, m, md, newest, g,
            offsets));
        double total = 0;
        for (double t : totals) {
          total += t;
        }
        int chosen = random.nextInt(n);
        if (total > 0) {
          double target = random.nextDouble() * total;
          double before = 0;
          for (int chunk = 0; chunk < totals.size(); chunk++) {
            if (before + totals.get(chunk) > target || chunk == totals.size() - 1) {
              final double from = before;
              Integer row = rows.read(chunk, ch -> {
                double cumulative = from;
                for (int r = 0; r < ch.rows(); r++) {
                  cumulative += ch.weight(r);
                  if (cumulative > target) {
                    return ch.firstRow() + r;
                  }
                }
                return -1;
              });
              if (row >= 0) {
                chosen = row;
                break;
              }
            }
            before += totals.get(chunk);
          }
        }
        copyRow(chosen, c, means, modes);
      }
    }

    /** Prototype {@code c} becomes row {@code row}: its numbers, and its categories as modes. */
    void copyRow(int row, int c, double[] means, int[] modes) {
      double[] values = rows.read(row / ChunkedRows.CHUNK,
          chunk -> chunk.rowValues(row % ChunkedRows.CHUNK));
      System.arraycopy(values, 0, means, c * dn, dn);
      for (int j = 0; j < dc; j++) {
        modes[c * dc + j] = Math.max(0, (int) values[dn + j]);
      }
    }
  }

  /**
   * The distance to prototype {@code c} of the row whose numbers are the {@code dn} values at
   * {@code base} in {@code x} and whose categories' codes are {@code codes}.
   */
  private static double distance(double[] x, int base, int dn, int[] codes, double[] means,
      int[] modes, int c, double gamma) {
    int dc = codes.length;
    double s = 0;
    for (int j = 0; j < dn; j++) {
      double diff = x[base + j] - means[c * dn + j];
      s += diff * diff;
    }
    int mismatches = 0;
    for (int j = 0; j < dc; j++) {
      if (codes[j] != modes[c * dc + j]) { // a mode is a category: a missing one (-1) differs
        mismatches++;
      }
    }
    return s + gamma * mismatches;
  }

  /**
   * The codes of the categories of the chunk's row {@code r} (at {@code base} in its values
   * {@code x}), into {@code codes}.
   *
   * @throws ConfigurationException naming the row and column (never the value) of a code that
   *     is not a whole number from -1 to its field's cardinality less one
   */
  private static void codes(double[] x, int base, int dn, int[] catOffset, int[] codes,
      Chunk chunk, int r) {
    for (int j = 0; j < codes.length; j++) {
      double held = x[base + dn + j];
      int code = (int) held;
      if (code != held || code < -1 || code >= catOffset[j + 1] - catOffset[j]) {
        throw new ConfigurationException("k-prototypes rows hold each categorical field's "
            + "code, from -1 (missing) to the field's cardinality less one; row "
            + (chunk.firstRow() + r) + " holds another in column " + (dn + j));
      }
      codes[j] = code;
    }
  }

  /**
   * A seeding sweep over a chunk: each row's weight becomes its distance to the nearest
   * prototype so far, prototype {@code newest} compared with the weight as it stood (none
   * before the first); gives the total of the weights.
   */
  private static double sweep(Chunk chunk, int dn, double[] means, int[] modes, int newest,
      double gamma, int[] catOffset) {
    double sum = 0;
    double[] x = chunk.values();
    int cols = chunk.cols();
    int[] codes = new int[cols - dn];
    for (int r = 0; r < chunk.rows(); r++) {
      codes(x, r * cols, dn, catOffset, codes, chunk, r);
      double d = distance(x, r * cols, dn, codes, means, modes, newest, gamma);
      double w = newest == 0 ? d : Math.min(chunk.weight(r), d);
      chunk.weigh(r, w);
      sum += w;
    }
    return sum;
  }

  /**
   * Assigns a chunk's rows to their nearest prototypes, leaving each in the chunk, and gives the
   * chunk's part of the iteration; on the {@code first} iteration every row counts as moved.
   */
  private static Part assign(Chunk chunk, int k, int dn, double[] means, int[] modes,
      double gamma, int[] catOffset, boolean first) {
    int dc = chunk.cols() - dn;
    int categories = catOffset[dc];
    double[] s = new double[k * dn];
    long[] cnt = new long[k];
    long[] cc = new long[k * categories];
    double cost = 0;
    long changed = 0;
    double[] x = chunk.values();
    int cols = chunk.cols();
    int[] codes = new int[dc];
    for (int r = 0; r < chunk.rows(); r++) {
      int base = r * cols;
      codes(x, base, dn, catOffset, codes, chunk, r);
      int best = 0;
      double bestDist = Double.POSITIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        double d = distance(x, base, dn, codes, means, modes, c, gamma);
        if (d < bestDist) {
          bestDist = d;
          best = c;
        }
      }
      if (first || chunk.label(r) != best) {
        changed++;
      }
      chunk.assign(r, best);
      cost += bestDist;
      cnt[best]++;
      for (int j = 0; j < dn; j++) {
        s[best * dn + j] += x[base + j];
      }
      for (int j = 0; j < dc; j++) {
        int code = codes[j];
        if (code >= 0) {
          cc[best * categories + catOffset[j] + code]++;
        }
      }
    }
    return new Part(s, cnt, cc, cost, changed);
  }

  @Override
  public String toString() {
    return "KPrototypes" + parameters();
  }
}
