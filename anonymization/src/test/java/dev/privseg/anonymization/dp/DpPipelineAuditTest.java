package dev.privseg.anonymization.dp;

import static dev.privseg.anonymization.dp.AuditData.groups;
import static dev.privseg.anonymization.dp.AuditData.ids;
import static dev.privseg.anonymization.dp.AuditData.plus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.anonymization.dp.AuditData.Row;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.pipeline.SegmentationPipeline;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.release.ProfileMechanism;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every pipeline configuration privseg calls differentially private, audited end to end (gate,
 * minimization, segmentation, release) on neighbouring datasets built to be hard: a segment at
 * the suppression threshold, an outlier at the declared bound, a rare category, a subject the
 * gate excludes. Each test fails if the {@link DpAuditor}'s lower bound on ε exceeds what the run
 * claims in its processing record. {@link DpAuditorCatchesDefectsTest} shows that the same audits
 * fail on each defect these configurations once had.
 */
class DpPipelineAuditTest {
  static final DpAuditor AUDITOR = DpAuditor.withRuns(2_000);

  /** Runs {@code pipeline} on {@code data} and returns the profiles' statistics. */
  static Supplier<double[]> release(Function<SecureRandom, SegmentationPipeline> pipeline,
      Dataset data, int segments, long seed) {
    SecureRandom random = AuditData.seeded(seed);
    return () -> AuditData.statistics(pipeline.apply(random).run(data).profiles(), segments);
  }

  /** The ε a run of {@code pipeline} claims for its profiles, from its own record. */
  static double claimedEpsilon(SegmentationPipeline pipeline, Dataset data) {
    SegmentationRun run = pipeline.run(data);
    return Rational.parse(run.report().release().privacy().get("profilesEpsilon")).toDouble();
  }

  /** Rule segments over the subjects of {@code allowed}, profiles from {@code profiles}. */
  static Function<SecureRandom, SegmentationPipeline> overRules(List<Row> allowed, int min,
      Function<SecureRandom, ProfileMechanism> profiles) {
    return r -> AuditData.pipeline(ids(allowed)).segmentWith(AuditData.RULES)
        .releaseProfiles(p -> p.minSegmentSize(min).mechanism(profiles.apply(r))).build();
  }

  /**
   * Audits {@code pipeline} on neighbours {@code a} and {@code b} and requires the lower bound to
   * stay within the (ε, {@code delta}) that a run on {@code a} claims in its record; returns the
   * claimed ε.
   */
  static double assertHolds(Function<SecureRandom, SegmentationPipeline> pipeline, List<Row> a,
      List<Row> b, long seed, double delta) {
    Dataset dataA = AuditData.dataset(a);
    double claimed = claimedEpsilon(pipeline.apply(AuditData.seeded(0)), dataA);
    DpAuditor.Finding f = AUDITOR.audit(release(pipeline, dataA, 2, seed),
        release(pipeline, AuditData.dataset(b), 2, seed + 1), AuditData.names(2), delta);
    assertThat(f.epsilonLowerBound()).as(f.toString()).isLessThanOrEqualTo(claimed);
    return claimed;
  }

  @Test
  void ruleSegmentsWithDpProfilesAtTheSuppressionThreshold() {
    // Segment "big" has exactly the minimum of 20 members on A and one fewer on B.
    List<Row> a = groups(20, 30);
    List<Row> b = a.subList(1, a.size());
    assertThat(assertHolds(overRules(a, 20, r -> AuditData.profiles("1", r).build()), a, b, 1,
        0)).isEqualTo(1.0);
  }

  @Test
  void dpKMeansWithDpProfilesOnAnOutlierWithARareCategory() {
    List<Row> b = groups(40, 40);
    List<Row> a = plus(b, new Row("X", 1000, "rare", "A"));
    Function<SecureRandom, SegmentationPipeline> pipeline = r -> AuditData.pipeline(ids(a))
        .segmentWith(DpKMeans.clusters(2, PrivacyAccountant.withBudget(Rational.parse("1/2"),
            Rational.ZERO), Rational.parse("1/2")).bounds("spend", 0, 1000).seed(3).random(r))
        .releaseProfiles(p -> p.minSegmentSize(10)
            .mechanism(AuditData.profiles("1/2", r).build()))
        .build();
    // Centres and profiles compose: 1/2 + 1/2.
    assertThat(assertHolds(pipeline, a, b, 3, 0)).isEqualTo(1.0);
  }

  /**
   * Segments saved by an earlier k-means run (on other customers) and DP profiles of the rows
   * assigned to them, with customers halfway between the segments and, on one side, an outlier
   * at the declared bound with the rare tier. (That the outlier moves no one else is
   * {@code IncrementalAssignmentProperties}' neighbouring-input property, in core.)
   */
  @Test
  void savedSegmentsWithDpProfilesOnAnOutlierWithARareCategory() {
    List<Row> earlier = groups(40, 40);
    dev.privseg.core.segment.SegmentModel model = AuditData.pipeline(ids(earlier))
        .segmentWith(dev.privseg.core.segment.kmeans.KMeans.clusters(2).seed(1))
        .releaseProfiles(p -> p.minSegmentSize(10)).build()
        .run(AuditData.dataset(earlier)).model().orElseThrow();
    List<Row> b = new java.util.ArrayList<>(groups(30, 30));
    for (int i = 0; i < 10; i++) {
      b.add(new Row("M" + i, 550 + i, "rare", "A")); // halfway between the segments
    }
    List<Row> a = plus(b, new Row("X", 1000, "rare", "A"));
    Function<SecureRandom, SegmentationPipeline> pipeline = r -> AuditData.pipeline(ids(a))
        .assignTo(model)
        .releaseProfiles(p -> p.minSegmentSize(10).mechanism(AuditData.profiles("1", r).build()))
        .build();
    assertThat(assertHolds(pipeline, a, b, 11, 0)).isEqualTo(1.0);
  }

  @Test
  void aSubjectTheGateExcludesChangesNothing() {
    // On A the input also holds a subject without a basis, with the one "rare" tier.
    List<Row> b = groups(25, 25);
    List<Row> a = plus(b, new Row("X", 1000, "rare", "A"));
    assertHolds(overRules(b, 10, r -> AuditData.profiles("1", r).build()), a, b, 5, 0);
  }

  @Test
  void dpProfilesWithQuartilesOnAnOutlier() {
    List<Row> b = groups(30, 30);
    List<Row> a = plus(b, new Row("X", 0, "plus", "A"));
    assertHolds(overRules(a, 10, r -> AuditData.profiles("1", r).quartiles(20).build()), a, b,
        7, 0);
  }

  @Test
  void gaussianProfilesHoldTheirEpsilonAndDelta() {
    List<Row> b = groups(30, 30);
    List<Row> a = plus(b, new Row("X", 1000, "rare", "A"));
    double epsilon = assertHolds(overRules(a, 10, r -> DpProfiles.spendingRho(
        PrivacyAccountant.withBudget(Rational.parse("10"), Rational.parse("1/100000")),
        Rational.parse("1/10")).bounds("spend", 0, 1000).random(r).build()), a, b, 9, 1e-5);
    // rho 1/10 at delta 1e-5: 0.1 + 2 sqrt(0.1 ln 1e5), rounded up.
    assertThat(epsilon).isBetween(2.24, 2.26);
  }
}
