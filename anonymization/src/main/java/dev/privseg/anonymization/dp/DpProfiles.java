package dev.privseg.anonymization.dp;

import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.CategoricalColumn;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.NumberColumn;
import dev.privseg.core.release.PrivacyLoss;
import dev.privseg.core.release.ProfileMechanism;
import dev.privseg.core.release.Profiles;
import dev.privseg.core.release.ReleasePolicy;
import dev.privseg.core.release.SegmentProfile;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.Schema;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Differentially private segment profiles: every released figure carries discrete Laplace noise
 * (pure ε-DP, {@link #spending}) or discrete Gaussian noise (ρ-zCDP, {@link #spendingRho}), and
 * the release spends its budget from a {@link PrivacyAccountant} before any noise is drawn, so
 * an exhausted budget refuses the release. An engine that holds the rows elsewhere counts them
 * there ({@link Counts}) and releases the counts here, where the noise is drawn.
 *
 * <pre>{@code
 * PrivacyAccountant budget = PrivacyAccountant.withBudget(Rational.parse("2"), Rational.ZERO);
 * .releaseProfiles(p -> p.minSegmentSize(25).mechanism(
 *     DpProfiles.spending(budget, Rational.parse("1"))
 *         .bounds("spend_12m", 0, 10_000)          // declared, never derived from the data
 *         .bounds("orders_12m", 0, 200)
 *         .build()))
 * }</pre>
 *
 * <p>What is released per segment: the size (a noisy count), for each numeric field a noisy mean
 * (a noisy clamped sum over a noisy count of present values) and, with {@link Builder#quartiles},
 * noisy quartiles, and for each categorical field noisy category shares. The ε is split evenly
 * over the queries: one for sizes, one per numeric field (half for its sums, half for its counts;
 * with quartiles a third each for sums, counts and the three quartiles together), one per
 * categorical field; each person is in one segment, so the segments compose in parallel. Numeric
 * values are rounded to whole units and clamped to their declared bounds before summing; the
 * sensitivity of a sum is the larger absolute bound. Categorical fields need categories declared
 * in the schema: shares are computed for every declared category and never for a label learned
 * from the data.
 *
 * <p><b>Which segments are shown is decided on noisy counts.</b> Every segment's size is counted
 * with noise from the size query's share of ε; a segment whose noisy size is below the policy's
 * minimum is suppressed, the others are described with their noisy size (thresholding as in DP
 * partition selection: the decision is post-processing of a private count, so it spends nothing
 * more and reveals no exact count). A released profile may therefore describe a few subjects
 * fewer than the minimum; the minimum is a utility threshold here, the noise is the protection.
 * The segments themselves must be public: their labels must come from a segmenter whose rows'
 * labels depend only on each row and on declared or private parameters, which a pipeline checks
 * when it is built.
 *
 * <p>Quartiles come from report-noisy-max over a grid of buckets between the declared bounds
 * (Dwork and Roth 2014, 3.3): each bucket's utility is minus the distance, in rows, between the
 * number of values up to its upper edge and the quartile's rank (integer, after scaling by 4;
 * sensitivity at most 3 under adding or removing one value); every bucket gets discrete Laplace
 * noise of scale {@code 2 · sensitivity / ε}, and the upper edge of the winner is released. The
 * three are then put in order (post-processing, free under differential privacy), so that
 * {@code p25 <= median <= p75} holds however small ε is. No floating-point noise, nothing derived
 * from the data beyond the noisy choices.
 * Thread-safe if the accountant and random source are (both are by default).
 */
public final class DpProfiles implements ProfileMechanism {
  private final PrivacyAccountant accountant;
  private final Rational epsilon; // ε (Laplace) or ρ (Gaussian), per release
  private final boolean gaussian;
  private final Map<String, long[]> bounds;
  private final SecureRandom random;
  private final int quartileBuckets;

  private DpProfiles(Builder b) {
    this.accountant = b.accountant;
    this.epsilon = b.epsilon;
    this.gaussian = b.gaussian;
    this.bounds = Map.copyOf(b.bounds);
    this.random = b.random;
    this.quartileBuckets = b.quartileBuckets;
  }

  /** DP profiles that spend {@code epsilon} of {@code accountant}'s budget per release. */
  public static Builder spending(PrivacyAccountant accountant, Rational epsilon) {
    return new Builder(accountant, epsilon, false);
  }

  /**
   * DP profiles with discrete Gaussian noise that spend {@code rho} (zero-concentrated DP) per
   * release; the accountant converts it to ε at its δ (which must be positive).
   */
  public static Builder spendingRho(PrivacyAccountant accountant, Rational rho) {
    return new Builder(accountant, rho, true);
  }

  /** Noise for one query. */
  private interface Noise {
    long sample();
  }

  /** Noise for a query of sensitivity {@code sensitivity} spending {@code share}. */
  private Noise noise(Rational share, long sensitivity) {
    if (gaussian) {
      DiscreteGaussian g = DiscreteGaussian.forRho(share, sensitivity, random);
      return g::sample;
    }
    DiscreteLaplace l = DiscreteLaplace.forEpsilon(share, sensitivity, random);
    return l::sample;
  }

  @Override
  public Profiles release(Dataset data, int[] labels, int segments, ReleasePolicy policy) {
    Schema.Builder fields = Schema.builder();
    Map<String, List<String>> dictionaries = new LinkedHashMap<>();
    for (Column c : data.columns()) {
      fields.add(c.field());
      if (c instanceof CategoricalColumn cat) {
        List<String> dictionary = new ArrayList<>();
        for (int code = 0; code < cat.cardinality(); code++) {
          dictionary.add(cat.label(code));
        }
        dictionaries.put(c.name(), dictionary);
      }
    }
    Counts counts = counts(fields.build(), dictionaries, segments);
    for (int l : labels) {
      counts.member(l);
    }
    int f = 0;
    int g = 0;
    for (Column c : data.columns()) {
      if (c instanceof NumberColumn n && c.field().isNumeric()) {
        for (int r = 0; r < labels.length; r++) {
          if (!n.isNull(r)) {
            counts.number(f, labels[r], n.asDouble(r));
          }
        }
        f++;
      } else if (c instanceof CategoricalColumn cat) {
        for (int r = 0; r < labels.length; r++) {
          counts.category(g, labels[r], cat.code(r));
        }
        g++;
      }
    }
    return release(counts, policy);
  }

  /**
   * Empty counts for a release of {@code fields} (in that order; fields other than numeric and
   * categorical ones are not described) over {@code segments} segments, for an engine that
   * counts the rows itself, in parts ({@link Counts}); {@code dictionaries} gives each
   * categorical field's labels, in code order.
   *
   * @throws ConfigurationException naming a numeric field without declared bounds or a
   *     categorical field without declared categories
   */
  public Counts counts(Schema fields, Map<String, List<String>> dictionaries, int segments) {
    Checks.notNull(fields, "fields");
    Checks.notNull(dictionaries, "dictionaries");
    Checks.atLeast(segments, 1, "segments");
    List<String> numeric = new ArrayList<>();
    List<String> categorical = new ArrayList<>();
    for (Field field : fields.fields()) {
      if (field.isNumeric()) {
        if (!bounds.containsKey(field.name())) {
          throw new ConfigurationException("DP profiles need declared bounds for numeric field '"
              + field.name() + "'; bounds are never derived from the data");
        }
        numeric.add(field.name());
      } else if (field.type() == FieldType.CATEGORICAL) {
        DpFeatures.declared(field, "DP profiles");
        Checks.check(dictionaries.containsKey(field.name()),
            "no dictionary for categorical field '%s'", field.name());
        categorical.add(field.name());
      }
    }
    return new Counts(segments, numeric, categorical, dictionaries, this);
  }

  /**
   * The profiles of {@code counts}, with noise: spends this release's budget first (an
   * exhausted budget refuses the release before any noise is drawn), then adds noise to every
   * figure as the class describes.
   *
   * @throws BudgetExceededException if the accountant has not this release's budget left
   * @throws ConfigurationException if the counts were made for another mechanism
   */
  public Profiles release(Counts counts, ReleasePolicy policy) {
    Checks.notNull(counts, "counts");
    Checks.notNull(policy, "policy");
    Checks.check(counts.mechanism == this, "the counts were made for another mechanism");
    int numericFields = counts.numeric.length;
    int queries = 1 + numericFields + counts.categorical.length;
    // Spend first: an exhausted budget refuses the release before any noisy figure exists.
    if (gaussian) {
      accountant.spendZcdp("segment profiles (" + queries + " queries)", epsilon);
    } else {
      accountant.spendPure("segment profiles (" + queries + " queries)", epsilon);
    }
    Rational perQuery = new Rational(epsilon.num(), epsilon.den().multiply(
        BigInteger.valueOf(queries)));
    // A numeric field's query is split in halves (sum, count) or, with quartiles, in thirds.
    int parts = quartileBuckets > 0 ? 3 : 2;
    Rational perHalf = new Rational(perQuery.num(), perQuery.den().multiply(
        BigInteger.valueOf(parts)));

    Noise countNoise = noise(perQuery, 1);
    Noise presentNoise = noise(perHalf, 1);
    List<SegmentProfile> released = new ArrayList<>();
    List<Integer> suppressed = new ArrayList<>();
    for (int s = 0; s < counts.sizes.length; s++) {
      // Suppression is decided on the noisy size, never on the exact one (see the class).
      long noisySize = counts.sizes[s] + countNoise.sample();
      if (noisySize < policy.minSegmentSize()) {
        suppressed.add(s);
        continue;
      }
      List<SegmentProfile.NumericSummary> means = new ArrayList<>();
      for (int f = 0; f < numericFields; f++) {
        means.add(noisyMean(counts, f, s, perHalf, presentNoise));
      }
      List<SegmentProfile.CategoryShares> shares = new ArrayList<>();
      for (int c = 0; c < counts.categorical.length; c++) {
        shares.add(noisyShares(counts, c, s, noise(perQuery, 1)));
      }
      released.add(new SegmentProfile(s, (int) Math.min(Integer.MAX_VALUE, noisySize), means,
          shares));
    }
    return new Profiles(released, suppressed, policy.minSegmentSize());
  }

  private SegmentProfile.NumericSummary noisyMean(Counts counts, int field, int segment,
      Rational perHalf, Noise presentNoise) {
    long[] b = counts.bounds[field];
    long sensitivity = Math.max(1, Math.max(Math.abs(b[0]), Math.abs(b[1])));
    long noisySum = counts.sums[field][segment] + noise(perHalf, sensitivity).sample();
    long noisyPresent = Math.max(1, counts.present[field][segment] + presentNoise.sample());
    double mean = Math.max(b[0], Math.min(b[1], (double) noisySum / noisyPresent));
    double[] quartiles = {Double.NaN, Double.NaN, Double.NaN};
    if (quartileBuckets > 0) {
      // The three quartiles share the field's third of epsilon (sequential composition).
      Rational each = new Rational(perHalf.num(), perHalf.den().multiply(BigInteger.valueOf(3)));
      quartiles = noisyQuartiles(counts.edges[field], counts.buckets[field][segment],
          counts.present[field][segment], each);
    }
    return new SegmentProfile.NumericSummary(counts.numeric[field],
        (int) Math.min(Integer.MAX_VALUE, noisyPresent), mean, quartiles[0], quartiles[1],
        quartiles[2]);
  }

  /**
   * The bucket edges of a numeric field's quartiles between its bounds {@code b}: at most one
   * bucket per whole unit.
   */
  private long[] edges(long[] b) {
    int buckets = (int) Math.max(1, Math.min(quartileBuckets, b[1] - b[0]));
    long[] edge = new long[buckets];
    for (int i = 0; i < buckets; i++) {
      edge[i] = b[0] + (long) Math.ceil((double) (i + 1) * (b[1] - b[0]) / buckets);
    }
    return edge;
  }

  /** The upper bucket edges of the three quartiles, each by report-noisy-max; see the class. */
  private double[] noisyQuartiles(long[] edge, long[] perBucket, long present, Rational eps) {
    double[] out = new double[3];
    for (int q = 1; q <= 3; q++) {
      // Utility scaled by 4: -|4 rank - q present|; sensitivity max(q, 4 - q) <= 3.
      long sensitivity = Math.max(q, 4 - q);
      DiscreteLaplace noise = DiscreteLaplace.forEpsilon(eps, 2 * sensitivity, random);
      long rank = 0;
      long bestScore = Long.MIN_VALUE;
      int best = 0;
      for (int i = 0; i < edge.length; i++) {
        rank += perBucket[i];
        long score = -Math.abs(4 * rank - q * present) + noise.sample();
        if (score > bestScore) {
          bestScore = score;
          best = i;
        }
      }
      out[q - 1] = edge[best];
    }
    // Each quartile is chosen with its own noise, so at small epsilon the three can come out of
    // order. Sorting them is post-processing of released values: it costs no privacy and never
    // moves an estimate away from a consistent truth.
    java.util.Arrays.sort(out);
    return out;
  }

  private static SegmentProfile.CategoryShares noisyShares(Counts source, int field, int segment,
      Noise noise) {
    long[] counts = source.categories[field][segment].clone();
    String[] labels = source.labels[field];
    long total = 0;
    for (int i = 0; i < counts.length; i++) {
      counts[i] = Math.max(0, counts[i] + noise.sample());
      total += counts[i];
    }
    Map<String, Double> shares = new LinkedHashMap<>();
    for (int code = 0; code < labels.length; code++) {
      if (total > 0 && counts[code + 1] > 0) {
        shares.put(labels[code], counts[code + 1] / (double) total);
      }
    }
    if (total > 0 && counts[0] > 0) {
      shares.put("(missing)", counts[0] / (double) total);
    }
    return new SegmentProfile.CategoryShares(source.categorical[field], shares);
  }

  @Override
  public String description() {
    return "differentially private: " + (gaussian ? "discrete Gaussian" : "discrete Laplace")
        + " noise (Canonne, Kamath & Steinke 2020), " + (gaussian ? "rho " : "epsilon ")
        + epsilon + " per release, numeric bounds " + boundsText();
  }

  private String boundsText() {
    Map<String, String> text = new java.util.TreeMap<>();
    bounds.forEach((k, v) -> text.put(k, "[" + v[0] + ", " + v[1] + "]"));
    return text.toString();
  }

  /** ε of this release: pure ε, or ρ converted at the budget's δ (rounded up). */
  @Override
  public java.util.Optional<PrivacyLoss> privacyLoss() {
    if (gaussian) {
      Rational delta = accountant.budgetDelta();
      return java.util.Optional.of(new PrivacyLoss(
          PrivacyAccountant.epsilonOfRho(epsilon, delta).toString(), delta.toString()));
    }
    return java.util.Optional.of(PrivacyLoss.pure(epsilon.toString()));
  }

  @Override
  public Map<String, String> privacy() {
    Map<String, String> p = new LinkedHashMap<>();
    if (gaussian) {
      p.put("model", "zero-concentrated DP, add/remove one subject");
      p.put("rho", epsilon.toString());
      p.put("delta", accountant.budgetDelta().toString());
    } else {
      p.put("model", "pure epsilon-DP, add/remove one subject");
      p.put("epsilon", epsilon.toString());
      p.put("delta", "0");
    }
    p.put("budgetEpsilon", accountant.budgetEpsilon().toString());
    p.put("spentEpsilon", accountant.spentEpsilon().toString());
    return p;
  }

  @Override
  public String toString() {
    return "DpProfiles[epsilon " + epsilon + "]";
  }

  /**
   * The exact figures a release adds noise to, counted by whoever holds the rows: per segment,
   * its members; per numeric field (in order), the sum of its present values, each rounded to
   * whole units and clamped to the declared bounds, how many are present and, with quartiles,
   * how many fall in each bucket; per categorical field, how many members hold each declared
   * category, and how many none. All are integers, so parts of the rows counted apart (an
   * engine's partitions) and added ({@link #add}) in any order give the same counts. They are
   * exact, personal figures: they stay with the controller until {@link
   * DpProfiles#release(Counts, ReleasePolicy)} makes the noisy profiles. Made by {@link
   * DpProfiles#counts}; not thread-safe.
   */
  public static final class Counts implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final transient DpProfiles mechanism;
    private final String[] numeric;
    private final String[] categorical;
    private final long[][] bounds;
    private final long[][] edges;
    private final String[][] labels;
    private final long[] sizes;
    private final long[][] sums;
    private final long[][] present;
    private final long[][][] buckets;
    /** Per categorical field, per segment: members without a value, then per label. */
    private final long[][][] categories;

    private Counts(Counts shape) {
      this.mechanism = shape.mechanism;
      this.numeric = shape.numeric;
      this.categorical = shape.categorical;
      this.bounds = shape.bounds;
      this.edges = shape.edges;
      this.labels = shape.labels;
      int segments = shape.sizes.length;
      this.sizes = new long[segments];
      this.sums = new long[numeric.length][segments];
      this.present = new long[numeric.length][segments];
      this.buckets = new long[numeric.length][][];
      for (int f = 0; f < numeric.length; f++) {
        if (edges[f] != null) {
          buckets[f] = new long[segments][edges[f].length];
        }
      }
      this.categories = new long[categorical.length][][];
      for (int c = 0; c < categorical.length; c++) {
        categories[c] = new long[segments][labels[c].length + 1];
      }
    }

    private Counts(int segments, List<String> numeric, List<String> categorical,
        Map<String, List<String>> dictionaries, DpProfiles mechanism) {
      this.mechanism = mechanism;
      this.numeric = numeric.toArray(String[]::new);
      this.categorical = categorical.toArray(String[]::new);
      this.sizes = new long[segments];
      this.bounds = new long[this.numeric.length][];
      this.edges = new long[this.numeric.length][];
      this.sums = new long[this.numeric.length][segments];
      this.present = new long[this.numeric.length][segments];
      this.buckets = new long[this.numeric.length][][];
      for (int f = 0; f < this.numeric.length; f++) {
        bounds[f] = mechanism.bounds.get(this.numeric[f]).clone();
        if (mechanism.quartileBuckets > 0) {
          edges[f] = mechanism.edges(bounds[f]);
          buckets[f] = new long[segments][edges[f].length];
        }
      }
      this.labels = new String[this.categorical.length][];
      this.categories = new long[this.categorical.length][][];
      for (int c = 0; c < this.categorical.length; c++) {
        labels[c] = dictionaries.get(this.categorical[c]).toArray(String[]::new);
        categories[c] = new long[segments][labels[c].length + 1];
      }
    }

    /** Empty counts of the same fields and segments, for another part of the rows. */
    public Counts part() {
      return new Counts(this);
    }

    /** The numeric fields described, in the order {@link #number} numbers them. */
    public List<String> numericFields() {
      return List.of(numeric);
    }

    /** The categorical fields described, in the order {@link #category} numbers them. */
    public List<String> categoricalFields() {
      return List.of(categorical);
    }

    /** Counts a member of {@code segment}. */
    public void member(int segment) {
      sizes[segment]++;
    }

    /** Counts numeric field {@code field}'s present {@code value} of a member of {@code segment}. */
    public void number(int field, int segment, double value) {
      long[] b = bounds[field];
      long v = Math.max(b[0], Math.min(b[1], Math.round(value)));
      sums[field][segment] += v;
      present[field][segment]++;
      if (edges[field] != null) {
        int i = java.util.Arrays.binarySearch(edges[field], v);
        buckets[field][segment][i >= 0 ? i : -i - 1]++;
      }
    }

    /**
     * Counts categorical field {@code field}'s label {@code code} (in the field's dictionary, -1
     * for none) of a member of {@code segment}.
     */
    public void category(int field, int segment, int code) {
      categories[field][segment][code + 1]++;
    }

    /**
     * Adds {@code other}'s counts (of other rows, for the same release) to these.
     *
     * @throws ConfigurationException if {@code other} describes other fields or segments
     */
    public void add(Counts other) {
      Checks.check(java.util.Arrays.equals(numeric, other.numeric)
          && java.util.Arrays.equals(categorical, other.categorical)
          && sizes.length == other.sizes.length, "the counts describe other fields or segments");
      addAll(sizes, other.sizes);
      for (int f = 0; f < numeric.length; f++) {
        addAll(sums[f], other.sums[f]);
        addAll(present[f], other.present[f]);
        for (int s = 0; buckets[f] != null && s < sizes.length; s++) {
          addAll(buckets[f][s], other.buckets[f][s]);
        }
      }
      for (int c = 0; c < categorical.length; c++) {
        for (int s = 0; s < sizes.length; s++) {
          addAll(categories[c][s], other.categories[c][s]);
        }
      }
    }

    private static void addAll(long[] to, long[] from) {
      for (int i = 0; i < to.length; i++) {
        to[i] += from[i];
      }
    }

    @Override
    public String toString() {
      return "DpProfiles.Counts[" + sizes.length + " segments, numeric " + numericFields()
          + ", categorical " + categoricalFields() + "]";
    }
  }

  /** Configures {@link DpProfiles}. Not thread-safe. */
  public static final class Builder {
    private final PrivacyAccountant accountant;
    private final Rational epsilon;
    private final boolean gaussian;
    private final Map<String, long[]> bounds = new LinkedHashMap<>();
    private SecureRandom random = new SecureRandom();
    private int quartileBuckets;

    private Builder(PrivacyAccountant accountant, Rational epsilon, boolean gaussian) {
      this.accountant = Checks.notNull(accountant, "accountant");
      this.epsilon = Checks.notNull(epsilon, gaussian ? "rho" : "epsilon");
      Rational.mechanismParameter(epsilon, gaussian ? "rho" : "epsilon");
      Checks.check(!gaussian || accountant.budgetDelta().num().signum() > 0,
          "Gaussian profiles need a budget with delta > 0");
      this.gaussian = gaussian;
    }

    /** The declared range of numeric field {@code field}: values are clamped to it. */
    public Builder bounds(String field, long lower, long upper) {
      Checks.notBlank(field, "field");
      Checks.check(lower < upper, "bounds of field '%s' must have lower < upper but were %s, %s",
          field, lower, upper);
      bounds.put(field, new long[] {lower, upper});
      return this;
    }

    /**
     * Also releases noisy quartiles of every numeric field, chosen among {@code buckets} equal
     * buckets between its declared bounds (at most one per whole unit); the field's share of ε is
     * then split in thirds instead of halves. Off by default.
     */
    public Builder quartiles(int buckets) {
      this.quartileBuckets = Checks.atLeast(buckets, 2, "quartile buckets");
      return this;
    }

    /** The random source (default: a new {@link SecureRandom}); tests pass a seeded one. */
    public Builder random(SecureRandom random) {
      this.random = Checks.notNull(random, "random");
      return this;
    }

    /** The mechanism. */
    public DpProfiles build() {
      Checks.check(quartileBuckets == 0 || !gaussian,
          "quartiles are released under pure epsilon-DP only; use spending(...), not "
              + "spendingRho(...)");
      return new DpProfiles(this);
    }
  }
}
