package dev.privseg.anonymization.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.AdjustedRand;
import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentationResult;
import dev.privseg.core.segment.kmeans.KMeans;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;

class DpKMeansTest {
  static final SegmentContext SERIAL = SegmentContext.of(Runnable::run, 1);

  /** Declared bounds of every feature of {@link #data}: a few standard deviations wide. */
  static final double BOUND = 3;

  /** 100,000 rows: 6 clusters in 5 standardized dimensions, as a matrix. */
  static FeatureMatrix matrix(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int d = 5;
    double[][] centres = new double[6][d];
    for (double[] c : centres) {
      for (int j = 0; j < d; j++) {
        c[j] = r.nextDouble() * 3 - 1.5;
      }
    }
    double[] x = new double[n * d];
    for (int i = 0; i < n; i++) {
      double[] c = centres[r.nextInt(6)];
      for (int j = 0; j < d; j++) {
        x[i * d + j] = c[j] + 0.3 * r.nextGaussian();
      }
    }
    List<String> names = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      names.add("f" + j);
    }
    return FeatureMatrix.of(x, n, names);
  }

  /** The rows of {@link #matrix} as a dataset of numeric fields f0..f4. */
  static Dataset data(int n, long seed) {
    FeatureMatrix m = matrix(n, seed);
    Schema.Builder schema = Schema.builder();
    for (String f : m.featureNames()) {
      schema.field(f, FieldType.NUMERIC, PrivacyRole.OTHER);
    }
    DatasetBuilder b = Dataset.builder(schema.build());
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < m.cols(); j++) {
        b.setNumber(j, m.data()[r * m.cols() + j]);
      }
      b.endRow();
    }
    return b.build();
  }

  /** DP k-means with {@link #BOUND} declared for every feature of {@link #data}. */
  static DpKMeans bounded(DpKMeans dp) {
    for (int j = 0; j < 5; j++) {
      dp = dp.bounds("f" + j, -BOUND, BOUND);
    }
    return dp;
  }

  /** {@link #matrix} as DP k-means sees it: scaled from the declared bounds to [-1, 1]. */
  static FeatureMatrix scaled(int n, long seed) {
    double[] x = matrix(n, seed).data().clone();
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.max(-1, Math.min(1, x[i] / BOUND));
    }
    return FeatureMatrix.of(x, n, matrix(1, seed).featureNames());
  }

  static SecureRandom seeded(long seed) throws Exception {
    SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
    r.setSeed(seed);
    return r;
  }

  @Test
  void spendsItsEpsilonAndAssignsEveryRow() throws Exception {
    PrivacyAccountant budget = PrivacyAccountant.withBudget(Rational.parse("1"), Rational.ZERO);
    Dataset m = data(10_000, 1);
    SegmentationResult r = bounded(DpKMeans.clusters(6, budget, Rational.parse("1"))).seed(2)
        .random(seeded(3)).fit(m, SERIAL);

    assertThat(r.labels()).hasSize(10_000);
    assertThat(budget.spentEpsilon()).isEqualTo(Rational.parse("1"));
    assertThat(r.details()).containsEntry("epsilon", "1");
    assertThatThrownBy(() -> bounded(DpKMeans.clusters(6, budget, Rational.parse("0.1")))
        .fit(m, SERIAL)).isInstanceOf(BudgetExceededException.class);
  }

  @Test
  void aPreparedFeatureMatrixIsRefusedBeforeAnythingIsSpent() {
    PrivacyAccountant budget = PrivacyAccountant.withBudget(Rational.parse("1"), Rational.ZERO);
    // Standardized with the data's own mean and spread, and no values to scale from instead.
    FeatureMatrix prepared = FeatureMatrix.of(
        FeatureMatrix.encode(data(100, 1), List.of("f0", "f1")).data(), 100,
        List.of("f0", "f1"));
    assertThatThrownBy(() -> bounded(DpKMeans.clusters(2, budget, Rational.parse("1")))
        .fit(prepared, SERIAL))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("DP k-means decides from the rows' values, not from a prepared "
            + "feature matrix");
    assertThat(budget.spends()).isEmpty();
  }

  @Test
  void aMatrixCarryingItsValuesIsFitFromTheValuesNeverFromItsDataDependentScaling()
      throws Exception {
    Dataset data = data(2_000, 3);
    // Standardized with the data's own mean and spread: one outlier would move every row.
    FeatureMatrix standardized = FeatureMatrix.encode(data, List.of("f0", "f1", "f2", "f3",
        "f4"));
    SegmentationResult fromMatrix = bounded(DpKMeans.clusters(3, PrivacyAccountant.withBudget(
        Rational.parse("1"), Rational.ZERO), Rational.parse("1"))).random(seeded(5))
        .fit(standardized, SERIAL);
    SegmentationResult fromValues = bounded(DpKMeans.clusters(3, PrivacyAccountant.withBudget(
        Rational.parse("1"), Rational.ZERO), Rational.parse("1"))).random(seeded(5))
        .fit(data, SERIAL);
    assertThat(fromMatrix.labels()).isEqualTo(fromValues.labels());
    assertThat(fromMatrix.details()).isEqualTo(fromValues.details());
  }

  @Test
  void categoricalFeaturesNeedDeclaredCategoriesAndOtherTypesAreRefused() {
    PrivacyAccountant budget = PrivacyAccountant.withBudget(Rational.parse("1"), Rational.ZERO);
    Schema schema = Schema.builder()
        .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
        .field("tier", FieldType.CATEGORICAL, PrivacyRole.OTHER)
        .build();
    DatasetBuilder b = Dataset.builder(schema);
    b.setNumber(0, 10);
    b.setText(1, "gold");
    b.endRow();
    DpKMeans dp = DpKMeans.clusters(2, budget, Rational.parse("1")).bounds("spend", 0, 100);
    assertThatThrownBy(() -> dp.fit(b.build(), SERIAL))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("DP k-means needs declared categories for categorical field 'tier'");
    assertThat(budget.spends()).isEmpty();
  }

  /** The sum noise is calibrated to the largest L1 norm a clamped row can have, never less. */
  @Property(tries = 300)
  void sumSensitivityCoversEveryClampedRow(@ForAll @IntRange(min = 1, max = 64) int d,
      @ForAll @DoubleRange(min = 0.0001, max = 1000) @Scale(6) double limit,
      @ForAll long seed) {
    long sensitivity = DpKMeans.sumSensitivity(d, limit);
    SplittableRandom r = new SplittableRandom(seed);
    for (int row = 0; row < 50; row++) {
      long norm = 0;
      for (int j = 0; j < d; j++) {
        double x = r.nextInt(4) == 0 ? (r.nextBoolean() ? limit : -limit)
            : (r.nextDouble() * 2 - 1) * limit;
        norm += Math.abs(Math.round(x * 1000));
      }
      assertThat(norm).isLessThanOrEqualTo(sensitivity);
    }
  }

  @Test
  void sumSensitivityRoundsUp() {
    // 3 features of at most round(1000.5) = 1001 units: 3003; rounding 3 * 1000.5 gave 3002.
    assertThat(DpKMeans.sumSensitivity(3, 1.0005)).isEqualTo(3003);
  }

  @Test
  void inAPipelineNumericFeaturesAreScaledFromDeclaredBoundsNeverFromTheData() {
    PrivacyAccountant budget = PrivacyAccountant.withBudget(Rational.parse("4"), Rational.ZERO);
    dev.privseg.core.dataset.Dataset data = DpProfilesTest.data(2_000, 3);
    DpKMeans unbounded = DpKMeans.clusters(2, budget, Rational.parse("1")).seed(1);
    assertThatThrownBy(() -> DpProfilesTest.pipeline(2_000, 25,
        dev.privseg.core.release.ProfileMechanism.exact(), unbounded).build().run(data))
        .isInstanceOf(dev.privseg.core.ConfigurationException.class)
        .hasMessage("DP k-means needs declared bounds for numeric feature 'spend' "
            + "(bounds(\"spend\", min, max)); scaling from the data would leak");

    dev.privseg.core.pipeline.SegmentationRun run = DpProfilesTest.pipeline(2_000, 25,
        dev.privseg.core.release.ProfileMechanism.exact(), unbounded.bounds("spend", 0, 1000))
        .build().run(data);
    // Two well-separated spend groups (about 150 and 950): the private centres find them.
    int[] sizes = new int[2];
    for (dev.privseg.core.release.SegmentProfile p : run.profiles().released()) {
      sizes[p.segment()] = p.size();
    }
    assertThat(sizes[0] + sizes[1]).isEqualTo(2_000);
    assertThat(Math.min(sizes[0], sizes[1])).isGreaterThan(800);
    assertThat(run.report().segmentation().parameters().get("bounds").toString())
        .contains("spend=[0.0, 1000.0]");
  }

  @Test
  void stabilityRefitsOnDeclaredBoundsAndPaysForEachFromTheBudget() throws Exception {
    dev.privseg.core.dataset.Dataset data = DpProfilesTest.data(2_000, 3);
    PrivacyAccountant enough = PrivacyAccountant.withBudget(Rational.parse("3"), Rational.ZERO);
    // Seeded noise: with fresh noise, one run in about fifteen had a refit miss the groups.
    DpKMeans dp = DpKMeans.clusters(2, enough, Rational.parse("1")).seed(1)
        .bounds("spend", 0, 1000).random(DpProfilesTest.seeded(1));

    dev.privseg.core.pipeline.SegmentationRun run = DpProfilesTest.pipeline(2_000, 25,
        dev.privseg.core.release.ProfileMechanism.exact(), dp).stability(2).build().run(data);

    // The run's fit and two refits, each scaled from the declared bounds: the two spend groups
    // are found every time, so the segments agree.
    assertThat(enough.spentEpsilon()).isEqualTo(Rational.parse("3"));
    assertThat(run.report().segmentation().stability()).isGreaterThan(0.9);

    PrivacyAccountant tooLittle = PrivacyAccountant.withBudget(Rational.parse("2"),
        Rational.ZERO);
    assertThatThrownBy(() -> DpProfilesTest.pipeline(2_000, 25,
        dev.privseg.core.release.ProfileMechanism.exact(),
        DpKMeans.clusters(2, tooLittle, Rational.parse("1")).seed(1).bounds("spend", 0, 1000))
        .stability(2).build().run(data))
        .isInstanceOf(BudgetExceededException.class);
    assertThat(tooLittle.spentEpsilon()).as("the second refit was refused before it ran")
        .isEqualTo(Rational.parse("2"));
  }

  /**
   * Mean ratio, over ten runs on each of three datasets (each run spending its own epsilon), of
   * DP k-means inertia to the best non-private inertia of three k-means++ seeds on the same
   * 100,000 rows.
   */
  static double utility(String epsilon) throws Exception {
    double sum = 0;
    int runs = 0;
    for (long dataSeed = 7; dataSeed <= 9; dataSeed++) {
      Dataset rows = data(100_000, dataSeed);
      FeatureMatrix m = scaled(100_000, dataSeed); // the same scale as DP k-means' inertia
      double exact = Double.POSITIVE_INFINITY;
      for (long seed = 1; seed <= 3; seed++) {
        exact = Math.min(exact, KMeans.clusters(6).seed(seed).fit(m, SERIAL).inertia());
      }
      for (int s = 0; s < 10; s++) {
        PrivacyAccountant budget = PrivacyAccountant.withBudget(Rational.parse(epsilon),
            Rational.ZERO);
        sum += bounded(DpKMeans.clusters(6, budget, Rational.parse(epsilon))).seed(s)
            .random(seeded(100 + s)).fit(rows, SERIAL).inertia() / exact;
        runs++;
      }
    }
    return sum / runs;
  }

  /**
   * The utility table of benchmarks/README.md, and issue 6's target: at epsilon 1 the private
   * centres' inertia is within 20 % of non-private k-means (mean over 30 runs).
   */
  @Test
  void utilityTableOnOneHundredThousandRows() throws Exception {
    StringBuilder table = new StringBuilder("epsilon | DP / non-private inertia (mean of 30)\n");
    double atOne = Double.NaN;
    double atFive = Double.NaN;
    for (String eps : new String[] {"0.1", "0.5", "1", "5"}) {
      double u = utility(eps);
      atOne = eps.equals("1") ? u : atOne;
      atFive = eps.equals("5") ? u : atFive;
      table.append(eps).append(" | ")
          .append(String.format(java.util.Locale.ROOT, "%.3f", u)).append('\n');
    }
    System.out.print(table);
    assertThat(atFive).isLessThanOrEqualTo(1.1);
    assertThat(atOne).isLessThanOrEqualTo(1.2);
  }

  /**
   * How often noise hides two clearly separated groups on little data (the README quotes these
   * figures): 200 fits with fresh seeds and noise each, two groups of customers by spend and
   * tier, as a pipeline scales them from declared bounds. On 2,000 rows at epsilon 1 a miss is
   * rare; on 500 rows at epsilon 0.5 the noise per iteration is near a group's own size, and
   * about a fifth of the fits miss. The bounds guard against a change that makes this worse.
   */
  @Test
  void separatedGroupsOnSmallDataAreMissedNoMoreOftenThanMeasured()
      throws Exception {
    assertThat(misses(2_000, "1")).isLessThanOrEqualTo(3);
    assertThat(misses(500, "1")).isLessThanOrEqualTo(12);
    assertThat(misses(500, "0.5")).isLessThanOrEqualTo(60);
  }

  /** Fits of 200 that miss the two groups (adjusted Rand index below 0.9 against them). */
  private static int misses(int n, String epsilon) throws Exception {
    Dataset data = DpProfilesTest.data(n, 3).project(List.of("spend", "tier"));
    int[] truth = new int[n];
    dev.privseg.core.dataset.NumberColumn spend = data.column("spend",
        dev.privseg.core.dataset.NumberColumn.class);
    for (int i = 0; i < n; i++) {
      truth[i] = spend.asDouble(i) > 500 ? 1 : 0;
    }
    int misses = 0;
    for (int s = 0; s < 200; s++) {
      PrivacyAccountant budget = PrivacyAccountant.withBudget(Rational.parse(epsilon),
          Rational.ZERO);
      int[] labels = DpKMeans.clusters(2, budget, Rational.parse(epsilon)).seed(s)
          .bounds("spend", 0, 1000).random(seeded(1000 + s)).fit(data, SERIAL).labels();
      misses += AdjustedRand.index(labels, truth) < 0.9 ? 1 : 0;
    }
    System.out.printf(java.util.Locale.ROOT, "DP k-means, %d rows, epsilon %s: %d of 200 fits"
        + " missed the two groups%n", n, epsilon, misses);
    return misses;
  }
}
