package dev.privseg.anonymization.dp;

import static dev.privseg.anonymization.dp.AuditData.groups;
import static dev.privseg.anonymization.dp.AuditData.ids;
import static dev.privseg.anonymization.dp.AuditData.plus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.anonymization.Anonymize;
import dev.privseg.anonymization.dp.AuditData.Row;
import dev.privseg.anonymization.hierarchy.Hierarchy;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.anonymize.AnonymizedData;
import dev.privseg.core.anonymize.Anonymizer;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.pipeline.SegmentationPipeline;
import dev.privseg.core.release.PrivacyLoss;
import dev.privseg.core.release.ProfileMechanism;
import dev.privseg.core.release.Profiles;
import dev.privseg.core.release.ReleasePolicy;
import dev.privseg.core.release.SegmentProfile;
import dev.privseg.core.release.SpendLog;
import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.kmeans.KMeans;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The auditor's own test: each defect that once made privseg's "differentially private" release
 * false is rebuilt here, outside the library, and the {@link DpAuditor} must prove it (a lower
 * bound on ε above the claim) on the same kind of neighbours that {@link DpPipelineAuditTest}
 * uses for the fixed configurations. How each defect is reintroduced:
 *
 * <ol>
 *   <li>suppression on exact counts: a mechanism that releases DP profiles but hides every segment
 *       whose exact size is below the minimum, as the old {@code DpProfiles} did;
 *   <li>labels from a non-private segmenter: plain k-means labels fed to DP profiles by hand (the
 *       builder refuses the pairing, which the test checks too);
 *   <li>category dictionaries from the whole input: the schema's declared categories taken from
 *       the whole input, so a label held only by a subject the gate excluded is in the dictionary;
 *   <li>an anonymize stage before the release: k-anonymity with suppression applied by hand before
 *       DP profiles (the builder refuses the pairing, which the test checks too);
 *   <li>data-dependent scaling: DP k-means fitted on a feature matrix standardized with the data's
 *       mean and spread, through the package-private entry the library itself no longer offers
 *       (the public {@code fit(FeatureMatrix, ...)} reads the matrix's values, never its scaling,
 *       and refuses a matrix without values);
 *   <li>a budget id that does not pin its budget: a {@link SpendLog} that forgets the budget it
 *       was first opened with, so a second process opening the id with a larger budget spends it.
 * </ol>
 *
 * <p>The rounding of DP k-means' sum sensitivity (defect 5's second half) is off by at most half a
 * fixed-point unit in a thousand, far below what any sampling test can see; a property test
 * guards it instead ({@code DpKMeansTest.sumSensitivityCoversEveryClampedRow}).
 */
class DpAuditorCatchesDefectsTest {
  static final DpAuditor AUDITOR = DpAuditor.withRuns(2_000);
  static final SegmentContext SERIAL = SegmentContext.of(Runnable::run, 1);

  /** Defect 1 rebuilt: profiles hidden by their exact size. */
  static ProfileMechanism exactCountSuppression(DpProfiles dp) {
    return new ProfileMechanism() {
      @Override
      public Profiles release(Dataset data, int[] labels, int segments, ReleasePolicy policy) {
        int[] sizes = new int[segments];
        for (int l : labels) {
          sizes[l]++;
        }
        Profiles noisy = dp.release(data, labels, segments, new ReleasePolicy(1, this));
        List<SegmentProfile> shown = new ArrayList<>();
        List<Integer> hidden = new ArrayList<>();
        for (int s = 0; s < segments; s++) {
          if (sizes[s] < policy.minSegmentSize()) {
            hidden.add(s);
          }
        }
        for (SegmentProfile p : noisy.released()) {
          if (!hidden.contains(p.segment())) {
            shown.add(p);
          }
        }
        return new Profiles(shown, hidden, policy.minSegmentSize());
      }

      @Override
      public String description() {
        return dp.description();
      }

      @Override
      public Map<String, String> privacy() {
        return dp.privacy();
      }

      @Override
      public Optional<PrivacyLoss> privacyLoss() {
        return dp.privacyLoss();
      }
    };
  }

  @Test
  void catchesSuppressionDecidedOnExactCounts() {
    List<Row> a = groups(20, 30);
    List<Row> b = a.subList(1, a.size());
    SecureRandom random = AuditData.seeded(11);
    Supplier<SegmentationPipeline> pipeline = () -> AuditData.pipeline(ids(a))
        .segmentWith(AuditData.RULES).releaseProfiles(p -> p.minSegmentSize(20)
            .mechanism(exactCountSuppression(AuditData.profiles("1", random).build())))
        .build();

    DpAuditor.Finding f = AUDITOR.audit(
        () -> stats(pipeline.get().run(AuditData.dataset(a)).profiles()),
        () -> stats(pipeline.get().run(AuditData.dataset(b)).profiles()), AuditData.names(2));

    assertThat(f.epsilonLowerBound()).as(f.toString()).isGreaterThan(1.0);
  }

  @Test
  void catchesLabelsFromPlainKMeans() {
    List<Row> b = groups(30, 30);
    List<Row> a = plus(b, new Row("X", 100_000, "plus", "A"));
    SecureRandom random = AuditData.seeded(12);
    Supplier<DpProfiles> dp = () -> AuditData.profiles("1", random).build();
    assertThatThrownBy(() -> AuditData.pipeline(ids(a)).segmentWith(KMeans.clusters(2))
        .releaseProfiles(p -> p.mechanism(dp.get())).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("labels each row from every row's values");

    DpAuditor.Finding f = AUDITOR.audit(() -> plainKMeansThenDp(a, dp.get()),
        () -> plainKMeansThenDp(b, dp.get()), AuditData.names(2));

    assertThat(f.epsilonLowerBound()).as(f.toString()).isGreaterThan(1.0);
  }

  private static double[] plainKMeansThenDp(List<Row> rows, DpProfiles dp) {
    Dataset data = AuditData.dataset(rows).project(List.of("spend", "tier"));
    int[] labels = KMeans.clusters(2).seed(1)
        .fit(FeatureMatrix.encode(data, List.of("spend")), SERIAL).labels();
    return stats(dp.release(data, labels, 2, new ReleasePolicy(10, dp)));
  }

  @Test
  void catchesADictionaryTakenFromTheWholeInput() {
    List<Row> b = groups(25, 25);
    List<Row> a = plus(b, new Row("X", 950, "vip", "A")); // excluded by the gate below
    List<String> tiersOfA = new ArrayList<>(AuditData.TIERS);
    tiersOfA.add("vip");
    SecureRandom random = AuditData.seeded(13);
    Supplier<SegmentationPipeline> pipeline = () -> AuditData.pipeline(ids(b))
        .segmentWith(AuditData.RULES).releaseProfiles(p -> p.minSegmentSize(10)
            .mechanism(AuditData.profiles("1", random).build()))
        .build();

    DpAuditor.Finding f = AUDITOR.audit(
        () -> stats(pipeline.get().run(AuditData.dataset(a, tiersOfA)).profiles()),
        () -> stats(pipeline.get().run(AuditData.dataset(b)).profiles()), AuditData.names(2));

    assertThat(f.epsilonLowerBound()).as(f.toString()).isGreaterThan(1.0);
  }

  @Test
  void catchesAnAnonymizeStageBeforeTheRelease() {
    // 20 customers in zip A, 4 in zip B: k = 5 suppresses zip B's class on B, not on A.
    List<Row> b = new ArrayList<>(groups(20, 0));
    for (int i = 0; i < 4; i++) {
      b.add(new Row("Z" + i, 950, "plus", "B"));
    }
    List<Row> a = plus(b, new Row("Z4", 950, "plus", "B"));
    SecureRandom random = AuditData.seeded(14);
    Supplier<DpProfiles> dp = () -> AuditData.profiles("1", random).build();
    Anonymizer kAnonymity = Anonymize.generalization(g -> g.hierarchy(Hierarchy.flat("zip"))
        .kAnonymity(5).suppressionLimit(0.2));
    assertThatThrownBy(() -> AuditData.pipeline(ids(a)).anonymize(kAnonymity)
        .segmentWith(AuditData.RULES).releaseProfiles(p -> p.mechanism(dp.get())).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("cannot follow an anonymize stage");

    DpAuditor.Finding f = AUDITOR.audit(() -> anonymizedThenDp(a, kAnonymity, dp.get()),
        () -> anonymizedThenDp(b, kAnonymity, dp.get()), AuditData.names(2));

    assertThat(f.epsilonLowerBound()).as(f.toString()).isGreaterThan(1.0);
  }

  private static double[] anonymizedThenDp(List<Row> rows, Anonymizer anonymizer,
      DpProfiles dp) {
    AnonymizedData anonymized = anonymizer.anonymize(
        AuditData.dataset(rows).project(List.of("spend", "zip")));
    Dataset released = anonymized.data();
    int[] labels = AuditData.RULES.fit(FeatureMatrix.encode(released, List.of("spend")),
        SERIAL).labels();
    return stats(dp.release(released.project(List.of("spend")), labels, 2,
        new ReleasePolicy(5, dp)));
  }

  @Test
  void catchesDataDependentScalingInDpKMeans() {
    List<Row> b = groups(200, 200);
    List<Row> a = plus(b, new Row("X", 1_000_000, "plus", "A"));
    SecureRandom random = AuditData.seeded(15);
    Supplier<DpProfiles> dp = () -> AuditData.profiles("1/2", random).build();
    Supplier<DpKMeans> kMeans = () -> DpKMeans.clusters(2, PrivacyAccountant.withBudget(
        Rational.parse("1/2"), Rational.ZERO), Rational.parse("1/2")).seed(2).random(random);

    DpAuditor.Finding f = AUDITOR.audit(
        () -> standardizedDpKMeansThenDp(a, kMeans.get(), dp.get()),
        () -> standardizedDpKMeansThenDp(b, kMeans.get(), dp.get()), AuditData.names(2));

    assertThat(f.epsilonLowerBound()).as(f.toString()).isGreaterThan(1.0);
  }

  private static double[] standardizedDpKMeansThenDp(List<Row> rows, DpKMeans kMeans,
      DpProfiles dp) {
    Dataset data = AuditData.dataset(rows).project(List.of("spend", "tier"));
    int[] labels = kMeans.fitScaled(FeatureMatrix.encode(data, List.of("spend")), SERIAL)
        .labels();
    return stats(dp.release(data, labels, 2, new ReleasePolicy(10, dp)));
  }

  @Test
  void catchesABudgetIdThatDoesNotPinItsBudget() {
    List<Row> b = groups(30, 30);
    List<Row> a = plus(b, new Row("X", 950, "plus", "A"));
    SecureRandom random = AuditData.seeded(16);

    DpAuditor.Finding f = AUDITOR.audit(() -> twoProcesses(a, forgetful(), random),
        () -> twoProcesses(b, forgetful(), random), names());

    assertThat(f.epsilonLowerBound()).as(f.toString()).isGreaterThan(1.0);
    // The library's own logs pin the budget: the second process is refused.
    assertThatThrownBy(() -> twoProcesses(a, SpendLog.inMemory(), random))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("budget 'crm'");
  }

  private static List<String> names() {
    List<String> names = new ArrayList<>();
    for (String process : List.of("first process: ", "second process: ")) {
      AuditData.names(2).forEach(n -> names.add(process + n));
    }
    return names;
  }

  /**
   * One process opens budget "crm" with ε 1 and spends it; another opens the same id with ε 10
   * and spends 9 more. The claim is the first budget: ε 1.
   */
  private static double[] twoProcesses(List<Row> rows, SpendLog log, SecureRandom random) {
    Dataset data = AuditData.dataset(rows);
    PrivacyAccountant first = PrivacyAccountant.persistent("crm", Rational.parse("1"),
        Rational.ZERO, log);
    double[] one = stats(AuditData.pipeline(ids(rows)).segmentWith(AuditData.RULES)
        .releaseProfiles(p -> p.minSegmentSize(10).mechanism(DpProfiles.spending(first,
            Rational.parse("1")).bounds("spend", 0, 1000).random(random).build()))
        .build().run(data).profiles());
    PrivacyAccountant second = PrivacyAccountant.persistent("crm", Rational.parse("10"),
        Rational.ZERO, log);
    double[] two = stats(AuditData.pipeline(ids(rows)).segmentWith(AuditData.RULES)
        .releaseProfiles(p -> p.minSegmentSize(10).mechanism(DpProfiles.spending(second,
            Rational.parse("9")).bounds("spend", 0, 1000).random(random).build()))
        .build().run(data).profiles());
    double[] both = java.util.Arrays.copyOf(one, one.length + two.length);
    System.arraycopy(two, 0, both, one.length, two.length);
    return both;
  }

  /** A fresh spend log that forgets budgets: every opening gets the budget it asks for. */
  private static SpendLog forgetful() {
    SpendLog real = SpendLog.inMemory();
    return new SpendLog() {
      @Override
      public List<Spend> spends(String budgetId) {
        return real.spends(budgetId);
      }

      @Override
      public boolean appendIf(String budgetId, int expectedCount, Spend spend) {
        return real.appendIf(budgetId, expectedCount, spend);
      }

      @Override
      public Budget pinBudget(String budgetId, Budget budget) {
        return budget;
      }

      @Override
      public java.util.SortedMap<String, Budget> budgets() {
        return real.budgets();
      }
    };
  }

  private static double[] stats(Profiles profiles) {
    return AuditData.statistics(profiles, 2);
  }
}
