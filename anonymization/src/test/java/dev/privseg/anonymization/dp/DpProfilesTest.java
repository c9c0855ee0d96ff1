package dev.privseg.anonymization.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.pipeline.SegmentationBuilder;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.release.ProfileMechanism;
import dev.privseg.core.release.SegmentProfile;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.rules.RuleSegments;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DpProfilesTest {
  static final Schema SCHEMA = Schema.builder().subjectId("id")
      .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
      .categorical("tier", PrivacyRole.OTHER, "basic", "plus")
      .build();

  static Dataset data(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    DatasetBuilder b = Dataset.builder(SCHEMA);
    for (int i = 0; i < n; i++) {
      boolean big = r.nextBoolean();
      b.setText(0, "C" + i);
      b.setNumber(1, big ? 900 + r.nextInt(100) : 100 + r.nextInt(100));
      b.setText(2, big ? "plus" : "basic");
      b.endRow();
    }
    return b.build();
  }

  static List<String> everyone(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add("C" + i);
    }
    return ids;
  }

  static SegmentationBuilder pipeline(int n, int k, int min, ProfileMechanism mechanism) {
    return pipeline(n, min, mechanism, bySpend(k));
  }

  /** As above, segmenting with {@code segmenter}. */
  static SegmentationBuilder pipeline(int n, int min, ProfileMechanism mechanism,
      dev.privseg.core.segment.Segmenter segmenter) {
    return Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(everyone(n)))
        .minimize(m -> m.keep("spend", "tier"))
        .pseudonymize("id", Pseudonymizer.hmacSha256(KeyProvider.ephemeral()))
        .segmentWith(segmenter)
        .releaseProfiles(p -> p.minSegmentSize(min).mechanism(mechanism));
  }

  /**
   * {@code k} segments of equal spend ranges over [0, 1000], by rules over declared thresholds:
   * differentially private profiles need labels that depend only on each row. For k = 2, segment
   * 0 holds spend below 500.
   */
  static RuleSegments bySpend(int k) {
    RuleSegments rules = RuleSegments.first("s0", "spend < " + 1000 / k);
    for (int s = 1; s < k - 1; s++) {
      rules = rules.then("s" + s, "spend < " + 1000 * (s + 1) / k);
    }
    return rules.otherwise("s" + (k - 1));
  }

  static SecureRandom seeded(long seed) throws Exception {
    SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
    r.setSeed(seed);
    return r;
  }

  @Test
  void noisyProfilesStayCloseToTheTruthAtLargeEpsilonAndSpendTheBudget() throws Exception {
    PrivacyAccountant budget = PrivacyAccountant.withBudget(Rational.parse("50"), Rational.ZERO);
    DpProfiles dp = DpProfiles.spending(budget, Rational.parse("30")).bounds("spend", 0, 1000)
        .random(seeded(1)).build();

    SegmentationRun run = pipeline(2_000, 2, 25, dp).build().run(data(2_000, 1));

    assertThat(run.profiles().released()).hasSize(2);
    for (SegmentProfile p : run.profiles().released()) {
      SegmentProfile.NumericSummary spend = p.numeric().get(0);
      boolean bigSegment = spend.mean() > 500;
      assertThat(spend.mean()).isCloseTo(bigSegment ? 949.5 : 149.5, within(15.0));
      assertThat(Double.isNaN(spend.median())).as("quantiles are not released").isTrue();
      assertThat(p.categorical().get(0).shares().get(bigSegment ? "plus" : "basic"))
          .isCloseTo(1.0, within(0.02));
      assertThat(p.size()).isCloseTo(1_000, within(60));
    }
    assertThat(budget.spentEpsilon()).isEqualTo(Rational.parse("30"));
    assertThat(run.report().release().privacy()).containsEntry("epsilon", "30")
        .containsEntry("delta", "0");
    assertThat(run.report().release().profileMechanism()).startsWith("differentially private");
    // The record keeps exact sizes for the controller; it must not pass for a DP release.
    assertThat(run.report().guarantees()).anyMatch(g -> g.startsWith("release: ")
        && g.contains("(epsilon 30, delta 0)-differentially private (pure epsilon-DP")
        && g.contains("decided on noisy sizes"));
    assertThat(run.report().guarantees()).anyMatch(g -> g.startsWith("record: ")
        && g.contains("segment sizes and quality figures are exact"));
    assertThat(run.report().release().privacy()).containsEntry("profilesEpsilon", "30");
  }

  @Test
  void aReleaseBeyondTheBudgetIsRefusedBeforeAnythingIsComputed() throws Exception {
    PrivacyAccountant budget = PrivacyAccountant.withBudget(Rational.parse("1"), Rational.ZERO);
    DpProfiles dp = DpProfiles.spending(budget, Rational.parse("0.6")).bounds("spend", 0, 1000)
        .random(seeded(2)).build();
    var pipeline = pipeline(500, 2, 10, dp).build();

    pipeline.run(data(500, 2));
    assertThatThrownBy(() -> pipeline.run(data(500, 3)))
        .isInstanceOf(BudgetExceededException.class)
        .hasMessageContaining("segment profiles");
    assertThat(budget.spends()).hasSize(1);
  }

  @Test
  void gaussianProfilesSpendRhoAndStayClose() throws Exception {
    PrivacyAccountant budget = PrivacyAccountant.withBudget(Rational.parse("50"),
        Rational.parse("1e-6"));
    DpProfiles dp = DpProfiles.spendingRho(budget, Rational.parse("10")).bounds("spend", 0, 1000)
        .random(seeded(5)).build();

    SegmentationRun run = pipeline(2_000, 2, 25, dp).build().run(data(2_000, 6));

    for (SegmentProfile p : run.profiles().released()) {
      double mean = p.numeric().get(0).mean();
      assertThat(mean).isCloseTo(mean > 500 ? 949.5 : 149.5, within(15.0));
    }
    assertThat(run.report().release().privacy()).containsEntry("rho", "10")
        .containsEntry("delta", "1/1000000");
    assertThat(budget.spends()).extracting(PrivacyAccountant.Spend::kind).containsExactly("zCDP");
    assertThat(run.report().release().profileMechanism()).contains("discrete Gaussian");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DpProfiles.spendingRho(
        PrivacyAccountant.withBudget(Rational.parse("1"), Rational.ZERO), Rational.parse("0.1")))
        .hasMessageContaining("need a budget with delta > 0");
  }

  @Test
  void numericFieldsNeedDeclaredBounds() throws Exception {
    PrivacyAccountant budget = PrivacyAccountant.withBudget(Rational.parse("1"), Rational.ZERO);
    DpProfiles dp = DpProfiles.spending(budget, Rational.parse("0.5")).build();
    assertThatThrownBy(() -> pipeline(100, 2, 1, dp).build().run(data(100, 4)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("declared bounds for numeric field 'spend'");
    assertThat(budget.spends()).as("nothing spent on a refused configuration").isEmpty();
  }

  /**
   * Which segments are shown is decided on noisy sizes: every segment is either shown, with a
   * noisy size of at least the minimum, or suppressed; nothing is decided on the exact size (the
   * auditor in {@link DpPipelineAuditTest} checks that the decision is private).
   */
  @Property(tries = 30)
  void dpProfilesShowOnlySegmentsWhoseNoisySizeReachesTheMinimum(
      @ForAll @IntRange(min = 30, max = 300) int n, @ForAll long seed,
      @ForAll @IntRange(min = 2, max = 8) int k, @ForAll @IntRange(min = 1, max = 80) int min) {
    PrivacyAccountant budget = PrivacyAccountant.withBudget(Rational.parse("10"), Rational.ZERO);
    DpProfiles dp = DpProfiles.spending(budget, Rational.parse("1")).bounds("spend", 0, 1000)
        .build();
    SegmentationRun run = pipeline(n, k, min, dp).build().run(data(n, seed));

    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (SegmentProfile p : run.profiles().released()) {
      assertThat(p.size()).isGreaterThanOrEqualTo(min);
      assertThat(seen.add(p.segment())).isTrue();
    }
    for (int s : run.profiles().suppressedSegments()) {
      assertThat(seen.add(s)).isTrue();
    }
    assertThat(seen).hasSize(k);
  }

  @Test
  void aSegmentWellAboveTheMinimumIsShownAndAnEmptyOneIsNot() throws Exception {
    PrivacyAccountant budget = PrivacyAccountant.withBudget(Rational.parse("10"), Rational.ZERO);
    DpProfiles dp = DpProfiles.spending(budget, Rational.parse("10")).bounds("spend", 0, 1000)
        .random(seeded(8)).build();
    // Three spend ranges: [0, 333) and [666, 1000] hold the two groups, [333, 666) no one.
    SegmentationRun run = pipeline(1_000, 3, 25, dp).build().run(data(1_000, 8));

    assertThat(run.profiles().released()).extracting(SegmentProfile::segment)
        .containsExactly(0, 2);
    assertThat(run.profiles().suppressedSegments()).containsExactly(1);
  }

  @Property(tries = 20)
  void noisyQuartilesAreInOrderHoweverSmallEpsilonIs(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 1000) int thousandths) throws Exception {
    // At epsilon 0.001 the noise swamps the data and each quartile is a near-random bucket;
    // the released three must still read as quartiles.
    Rational epsilon = Rational.of(thousandths, 1000);
    PrivacyAccountant budget = PrivacyAccountant.withBudget(epsilon, Rational.ZERO);
    DpProfiles dp = DpProfiles.spending(budget, epsilon).bounds("spend", 0, 1000)
        .quartiles(50).random(seeded(seed)).build();

    // Eight segments and a minimum of 1: which are shown is decided on sizes this noisy too, so
    // some are, whichever seed.
    SegmentationRun run = pipeline(300, 8, 1, dp).build().run(data(300, seed));

    for (SegmentProfile p : run.profiles().released()) {
      SegmentProfile.NumericSummary spend = p.numeric().get(0);
      assertThat(spend.p25()).isLessThanOrEqualTo(spend.median());
      assertThat(spend.median()).isLessThanOrEqualTo(spend.p75());
    }
  }

  @Test
  void noisyQuartilesLandNearTheTrueOnesAndSpendNoExtraBudget() throws Exception {
    PrivacyAccountant budget = PrivacyAccountant.withBudget(Rational.parse("20"), Rational.ZERO);
    DpProfiles dp = DpProfiles.spending(budget, Rational.parse("20")).bounds("spend", 0, 1000)
        .quartiles(100).random(seeded(4)).build();

    SegmentationRun run = pipeline(4_000, 2, 25, dp).build().run(data(4_000, 9));

    assertThat(budget.spentEpsilon()).isEqualTo(Rational.parse("20"));
    for (SegmentProfile p : run.profiles().released()) {
      SegmentProfile.NumericSummary spend = p.numeric().get(0);
      // Each segment is one of the two spend groups: uniform on [100, 200) or [900, 1000).
      double low = spend.mean() < 500 ? 100 : 900;
      assertThat(spend.p25()).isBetween(low + 10, low + 50);
      assertThat(spend.median()).isBetween(low + 30, low + 70);
      assertThat(spend.p75()).isBetween(low + 60, low + 100);
      assertThat(spend.p25()).isLessThanOrEqualTo(spend.median());
    }
    assertThatThrownBy(() -> DpProfiles.spendingRho(PrivacyAccountant.withBudget(
        Rational.parse("1"), Rational.parse("1e-6")), Rational.parse("0.1")).quartiles(10)
        .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("quartiles are released under pure epsilon-DP only");
  }
}
