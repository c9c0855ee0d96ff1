package dev.privseg.core.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.anonymize.AnonymizedData;
import dev.privseg.core.anonymize.Anonymizer;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.gate.BasisDecision;
import dev.privseg.core.gate.BasisDecisions;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.gate.RunGate;
import dev.privseg.core.minimize.Coarsen;
import dev.privseg.core.minimize.MinimizationRules;
import dev.privseg.core.pipeline.RunOptions;
import dev.privseg.core.pipeline.RunPlan;
import dev.privseg.core.pipeline.RunRecorder;
import dev.privseg.core.pipeline.SegmentationPipeline;
import dev.privseg.core.pipeline.TestCustomers;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.release.Profiles;
import dev.privseg.core.report.ProcessingRecord;
import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentationResult;
import dev.privseg.core.segment.Silhouette;
import dev.privseg.core.segment.kmeans.KMeans;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An executor outside the pipeline package, using only public API, carries out a pipeline's
 * {@link RunPlan} and writes its record through the plan's {@link RunRecorder}: the record has
 * the local run's form, counts, figures and guarantees.
 */
class OutsideExecutorTest {
  private static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");

  private static SegmentationPipeline pipeline(List<String> allowed) {
    return Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(allowed))
        .minimize(m -> m.keep("age", "region", "spend", "orders").dropEverythingElse()
            .coarsen("age", Coarsen.bands(10)))
        .pseudonymize("customer_id", Pseudonymizer.hmacSha256(
            dev.privseg.core.pseudonymize.KeyProvider.ephemeral()))
        .segmentWith(KMeans.clusters(3).seed(42))
        .releaseProfiles(p -> p.minSegmentSize(20))
        .build();
  }

  @Test
  void anOutsideExecutorsRecordIsTheLocalRunsRecord() {
    Dataset customers = TestCustomers.generate(400, 7);
    List<String> allowed = new ArrayList<>();
    for (int i = 0; i < 400; i += 3) {
      allowed.add(TestCustomers.id(i));
    }
    SegmentationPipeline pipeline = pipeline(allowed);
    ProcessingRecord local = pipeline.run(customers, RunOptions.defaults().at(AT)).report();
    ProcessingRecord outside = runOutside(pipeline.plan(), customers);

    assertThat(comparable(outside)).isEqualTo(comparable(local));
    assertThat(outside.guarantees()).isEqualTo(local.guarantees());
  }

  @Test
  void aRecordWithAStageMissingIsRefused() {
    RunRecorder recorder = pipeline(List.of("CUST-1")).plan().recorder(AT);
    recorder.read(10, Map.of());
    recorder.lawfulBasis(Map.of(BasisDecision.NO_BASIS, 9L));
    assertThatThrownBy(recorder::build).isInstanceOf(IllegalStateException.class)
        .hasMessage("a stage did not write its entry of the record");
  }

  @Test
  void aPlanWithAnAnonymizerNeedsTheAnonymizeStagesEntry() {
    SegmentationPipeline anonymizing = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(List.of("CUST-1")))
        .minimize(m -> m.keep("age", "spend").dropEverythingElse())
        .pseudonymize("customer_id", Pseudonymizer.hmacSha256(
            dev.privseg.core.pseudonymize.KeyProvider.ephemeral()))
        .anonymize(new Anonymizer() {
          @Override
          public AnonymizedData anonymize(Dataset data) {
            throw new UnsupportedOperationException("not run by this test");
          }

          @Override
          public String description() {
            return "none";
          }

          @Override
          public Map<String, Object> parameters() {
            return Map.of();
          }
        })
        .segmentWith(KMeans.clusters(2))
        .build();
    RunPlan plan = anonymizing.plan();
    assertThat(plan.anonymizer()).isPresent();
    RunRecorder recorder = plan.recorder(AT);
    recorder.read(10, Map.of());
    recorder.lawfulBasis(Map.of());
    recorder.minimization(List.of("age", "spend"), List.of(), Map.of(), 10, Map.of(), 0);
    recorder.pseudonymization("customer_id", "x", "k");
    recorder.segmentation(new SegmentationResult(new int[10], 2, new double[4], 0, 1, true),
        2, 0, 10, Double.NaN, null);
    assertThatThrownBy(() -> recorder.segmentation(
        new SegmentationResult(new int[10], 2, new double[4], 0, 1, true), 2, 0, 10, Double.NaN,
        Map.of("adjustedRand", 1.0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("before the anonymize stage wrote its entry");
    assertThatThrownBy(recorder::build).isInstanceOf(IllegalStateException.class);
  }

  /** The plan carried out with public pieces only, as another executor would. */
  private static ProcessingRecord runOutside(RunPlan plan, Dataset input) {
    RunRecorder recorder = plan.recorder(AT);
    recorder.read(input.rowCount(), Map.of());

    RunGate gate = plan.gate().forRun(plan.purpose(), AT);
    StringColumn ids = input.column(plan.subjectField(), StringColumn.class);
    BasisDecisions decisions = new BasisDecisions(input.rowCount());
    gate.decideAll(ids, decisions);
    EnumMap<BasisDecision, Long> excluded = new EnumMap<>(BasisDecision.class);
    int[] rows = new int[input.rowCount()];
    int kept = 0;
    for (int r = 0; r < input.rowCount(); r++) {
      if (decisions.get(r).isAllowed()) {
        rows[kept++] = r;
      } else {
        excluded.merge(decisions.get(r), 1L, Long::sum);
      }
    }
    recorder.lawfulBasis(excluded);
    Dataset admitted = input.select(java.util.Arrays.copyOf(rows, kept));

    MinimizationRules.Outcome minimized = plan.minimization().apply(admitted,
        List.of(plan.subjectField()));
    recorder.minimization(minimized.used(), minimized.dropped(), minimized.coarsened(),
        minimized.dataset().rowCount(), Map.of(), 0);
    recorder.pseudonymization(plan.subjectField(), plan.pseudonymizer().description(),
        plan.pseudonymizer().keyId());

    Dataset features = minimized.dataset().project(minimized.used());
    FeatureMatrix matrix = FeatureMatrix.encode(features, minimized.used());
    SegmentationResult result = plan.segmenter().fit(matrix, SegmentContext.of(Runnable::run, 1));
    recorder.segmentation(result, matrix.cols(),
        Silhouette.sampled(matrix, result.labels(), result.segments(), plan.silhouetteSample(),
            plan.silhouetteSeed()),
        Math.min(plan.silhouetteSample(), matrix.rows()), Double.NaN, null);
    Profiles profiles = plan.releasePolicy().mechanism().release(features, result.labels(),
        result.segments(), plan.releasePolicy());
    recorder.release(result.labels().length, profiles);
    return recorder.build();
  }

  /** The record without what differs between any two runs: its id, start and stage times. */
  private static ProcessingRecord comparable(ProcessingRecord r) {
    return new ProcessingRecord(r.format(), "", "", r.basisEvaluatedAt(), r.purpose(),
        r.lawfulBasisGate(), r.counts(), r.fields(), r.pseudonymization(), r.anonymization(),
        r.segmentation(), r.release(), r.guarantees(), Map.of());
  }
}
