package dev.privseg.anonymization.dp;

import static dev.privseg.anonymization.dp.AuditData.groups;
import static dev.privseg.anonymization.dp.AuditData.ids;
import static dev.privseg.anonymization.dp.AuditData.plus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.anonymization.dp.AuditData.Row;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.pipeline.SegmentationPipeline;
import dev.privseg.core.pipeline.SegmentationRun;
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

  @Test
  void ruleSegmentsWithDpProfilesAtTheSuppressionThreshold() {
    // Segment "big" has exactly the minimum of 20 members on A and one fewer on B.
    List<Row> a = groups(20, 30);
    List<Row> b = a.subList(1, a.size());
    Function<SecureRandom, SegmentationPipeline> pipeline = r -> AuditData.pipeline(ids(a))
        .segmentWith(AuditData.RULES)
        .releaseProfiles(p -> p.minSegmentSize(20)
            .mechanism(AuditData.profiles("1", r).build()))
        .build();
    Dataset dataA = AuditData.dataset(a);
    Dataset dataB = AuditData.dataset(b);

    DpAuditor.Finding f = AUDITOR.audit(release(pipeline, dataA, 2, 1),
        release(pipeline, dataB, 2, 2), AuditData.names(2));

    assertThat(claimedEpsilon(pipeline.apply(AuditData.seeded(0)), dataA)).isEqualTo(1.0);
    assertThat(f.epsilonLowerBound()).as(f.toString()).isLessThanOrEqualTo(1.0);
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
    Dataset dataA = AuditData.dataset(a);

    DpAuditor.Finding f = AUDITOR.audit(release(pipeline, dataA, 2, 3),
        release(pipeline, AuditData.dataset(b), 2, 4), AuditData.names(2));

    // Centres and profiles compose: 1/2 + 1/2.
    assertThat(claimedEpsilon(pipeline.apply(AuditData.seeded(0)), dataA)).isEqualTo(1.0);
    assertThat(f.epsilonLowerBound()).as(f.toString()).isLessThanOrEqualTo(1.0);
  }

  @Test
  void aSubjectTheGateExcludesChangesNothing() {
    // On A the input also holds a subject without a basis, with the one "rare" tier.
    List<Row> b = groups(25, 25);
    List<Row> a = plus(b, new Row("X", 1000, "rare", "A"));
    Function<SecureRandom, SegmentationPipeline> pipeline = r -> AuditData.pipeline(ids(b))
        .segmentWith(AuditData.RULES)
        .releaseProfiles(p -> p.minSegmentSize(10)
            .mechanism(AuditData.profiles("1", r).build()))
        .build();

    DpAuditor.Finding f = AUDITOR.audit(release(pipeline, AuditData.dataset(a), 2, 5),
        release(pipeline, AuditData.dataset(b), 2, 6), AuditData.names(2));

    assertThat(f.epsilonLowerBound()).as(f.toString()).isLessThanOrEqualTo(1.0);
  }

  @Test
  void dpProfilesWithQuartilesOnAnOutlier() {
    List<Row> b = groups(30, 30);
    List<Row> a = plus(b, new Row("X", 0, "plus", "A"));
    Function<SecureRandom, SegmentationPipeline> pipeline = r -> AuditData.pipeline(ids(a))
        .segmentWith(AuditData.RULES)
        .releaseProfiles(p -> p.minSegmentSize(10)
            .mechanism(AuditData.profiles("1", r).quartiles(20).build()))
        .build();

    DpAuditor.Finding f = AUDITOR.audit(release(pipeline, AuditData.dataset(a), 2, 7),
        release(pipeline, AuditData.dataset(b), 2, 8), AuditData.names(2));

    assertThat(f.epsilonLowerBound()).as(f.toString()).isLessThanOrEqualTo(1.0);
  }

  @Test
  void gaussianProfilesHoldTheirEpsilonAndDelta() {
    List<Row> b = groups(30, 30);
    List<Row> a = plus(b, new Row("X", 1000, "rare", "A"));
    Function<SecureRandom, SegmentationPipeline> pipeline = r -> AuditData.pipeline(ids(a))
        .segmentWith(AuditData.RULES)
        .releaseProfiles(p -> p.minSegmentSize(10)
            .mechanism(DpProfiles.spendingRho(PrivacyAccountant.withBudget(Rational.parse("10"),
                Rational.parse("1/100000")), Rational.parse("1/10"))
                .bounds("spend", 0, 1000).random(r).build()))
        .build();
    Dataset dataA = AuditData.dataset(a);
    double epsilon = claimedEpsilon(pipeline.apply(AuditData.seeded(0)), dataA);

    DpAuditor.Finding f = AUDITOR.audit(release(pipeline, dataA, 2, 9),
        release(pipeline, AuditData.dataset(b), 2, 10), AuditData.names(2), 1e-5);

    assertThat(epsilon).isGreaterThan(0.1);
    assertThat(f.epsilonLowerBound()).as(f.toString()).isLessThanOrEqualTo(epsilon);
  }
}
