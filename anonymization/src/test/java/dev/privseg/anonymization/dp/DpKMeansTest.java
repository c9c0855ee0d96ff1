package dev.privseg.anonymization.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.segment.AdjustedRand;
import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentationResult;
import dev.privseg.core.segment.kmeans.KMeans;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DpKMeansTest {
  static final SegmentContext SERIAL = SegmentContext.of(Runnable::run, 1);

  /** 100,000 rows: 6 clusters in 5 standardized dimensions. */
  static FeatureMatrix data(int n, long seed) {
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

  static SecureRandom seeded(long seed) throws Exception {
    SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
    r.setSeed(seed);
    return r;
  }

  @Test
  void spendsItsEpsilonAndAssignsEveryRow() throws Exception {
    PrivacyAccountant budget = PrivacyAccountant.withBudget(Rational.parse("1"), Rational.ZERO);
    FeatureMatrix m = data(10_000, 1);
    SegmentationResult r = DpKMeans.clusters(6, budget, Rational.parse("1")).seed(2)
        .random(seeded(3)).fit(m, SERIAL);

    assertThat(r.labels()).hasSize(10_000);
    assertThat(budget.spentEpsilon()).isEqualTo(Rational.parse("1"));
    assertThat(r.details()).containsEntry("epsilon", "1");
    assertThatThrownBy(() -> DpKMeans.clusters(6, budget, Rational.parse("0.1")).fit(m, SERIAL))
        .isInstanceOf(BudgetExceededException.class);
  }

  @Test
  void inAPipelineNumericFeaturesAreScaledFromDeclaredBoundsNeverFromTheData() {
    PrivacyAccountant budget = PrivacyAccountant.withBudget(Rational.parse("4"), Rational.ZERO);
    dev.privseg.core.dataset.Dataset data = DpProfilesTest.data(2_000, 3);
    DpKMeans unbounded = DpKMeans.clusters(2, budget, Rational.parse("1")).seed(1);
    assertThatThrownBy(() -> DpProfilesTest.pipeline(2_000, 2, 25,
        dev.privseg.core.release.ProfileMechanism.exact()).segmentWith(unbounded).build()
        .run(data))
        .isInstanceOf(dev.privseg.core.ConfigurationException.class)
        .hasMessage("DP k-means needs declared bounds for numeric feature 'spend' "
            + "(bounds(\"spend\", min, max)); scaling from the data would leak");

    dev.privseg.core.pipeline.SegmentationRun run = DpProfilesTest.pipeline(2_000, 2, 25,
        dev.privseg.core.release.ProfileMechanism.exact())
        .segmentWith(unbounded.bounds("spend", 0, 1000)).build().run(data);
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

    dev.privseg.core.pipeline.SegmentationRun run = DpProfilesTest.pipeline(2_000, 2, 25,
        dev.privseg.core.release.ProfileMechanism.exact()).segmentWith(dp).stability(2).build()
        .run(data);

    // The run's fit and two refits, each scaled from the declared bounds: the two spend groups
    // are found every time, so the segments agree.
    assertThat(enough.spentEpsilon()).isEqualTo(Rational.parse("3"));
    assertThat(run.report().segmentation().stability()).isGreaterThan(0.9);

    PrivacyAccountant tooLittle = PrivacyAccountant.withBudget(Rational.parse("2"),
        Rational.ZERO);
    assertThatThrownBy(() -> DpProfilesTest.pipeline(2_000, 2, 25,
        dev.privseg.core.release.ProfileMechanism.exact())
        .segmentWith(DpKMeans.clusters(2, tooLittle, Rational.parse("1")).seed(1)
            .bounds("spend", 0, 1000)).stability(2).build().run(data))
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
      FeatureMatrix m = data(100_000, dataSeed);
      double exact = Double.POSITIVE_INFINITY;
      for (long seed = 1; seed <= 3; seed++) {
        exact = Math.min(exact, KMeans.clusters(6).seed(seed).fit(m, SERIAL).inertia());
      }
      for (int s = 0; s < 10; s++) {
        PrivacyAccountant budget = PrivacyAccountant.withBudget(Rational.parse(epsilon),
            Rational.ZERO);
        sum += DpKMeans.clusters(6, budget, Rational.parse(epsilon)).seed(s)
            .random(seeded(100 + s)).fit(m, SERIAL).inertia() / exact;
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
    SplittableRandom r = new SplittableRandom(3);
    double[] x = new double[n * 3];
    int[] truth = new int[n];
    for (int i = 0; i < n; i++) {
      boolean big = r.nextBoolean();
      double spend = big ? 900 + r.nextInt(100) : 100 + r.nextInt(100);
      x[i * 3] = (spend - 500) / 500; // declared bounds [0, 1000] scaled to [-1, 1]
      x[i * 3 + (big ? 2 : 1)] = 1; // tier one-hot
      truth[i] = big ? 1 : 0;
    }
    FeatureMatrix m = FeatureMatrix.of(x, n, List.of("spend", "tier=basic", "tier=plus"));
    int misses = 0;
    for (int s = 0; s < 200; s++) {
      PrivacyAccountant budget = PrivacyAccountant.withBudget(Rational.parse(epsilon),
          Rational.ZERO);
      int[] labels = DpKMeans.clusters(2, budget, Rational.parse(epsilon)).seed(s).bound(1.0)
          .random(seeded(1000 + s)).fit(m, SERIAL).labels();
      misses += AdjustedRand.index(labels, truth) < 0.9 ? 1 : 0;
    }
    System.out.printf(java.util.Locale.ROOT, "DP k-means, %d rows, epsilon %s: %d of 200 fits"
        + " missed the two groups%n", n, epsilon, misses);
    return misses;
  }
}
