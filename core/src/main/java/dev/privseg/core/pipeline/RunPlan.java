package dev.privseg.core.pipeline;

import dev.privseg.core.Purpose;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.minimize.MinimizationRules;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.release.ReleasePolicy;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.Segmenter;
import java.util.Optional;

/**
 * A run as a plan of stages, made once when a pipeline is built: every stage is immutable and
 * holds its configuration, and a run passes its data, instant, listener and cancellation through
 * them in order, each writing its own entry of the record into the run's {@link RunRecorder}.
 * {@link LocalExecution} carries it out in this JVM; neither the plan nor the recorder depends on
 * it (the seam where another executor plugs in). The configuration the record describes travels
 * with the plan.
 *
 * @param purpose the purpose every run is bound to
 * @param schema the schema every input must have, if one was bound
 * @param gate the lawful-basis gate, as configured (described in the record)
 * @param minimization the minimization rules (described in the record)
 * @param subjectField the field pseudonymized
 * @param pseudonymizer the pseudonymizer (its method and key id are recorded)
 * @param segmenter the segmenter (its algorithm, parameters and privacy loss are recorded)
 * @param releasePolicy how profiles are released (described in the record)
 * @param silhouetteSample rows sampled for the silhouette
 * @param stabilityRuns refits measuring stability (0: not measured)
 * @param lawfulBasis keeps the rows of subjects the gate allows
 * @param minimize retention, kept fields, coarsening, Art. 9 withholding
 * @param pseudonymize replaces the subject id by a pseudonym; rows become {@link Rows}
 * @param anonymize the optional anonymize stage
 * @param measureImpact whether the anonymize stage keeps the original values to measure the
 *     impact on the segments
 * @param segment fits the segmenter and measures the result
 * @param release makes the assignments and profiles
 */
record RunPlan(Purpose purpose, Optional<Schema> schema, LawfulBasisGate gate,
    MinimizationRules minimization,
    String subjectField, Pseudonymizer pseudonymizer, Segmenter segmenter,
    ReleasePolicy releasePolicy, int silhouetteSample, int stabilityRuns,
    LawfulBasisStage lawfulBasis, MinimizeStage minimize, PseudonymizeStage pseudonymize,
    Optional<AnonymizeStage> anonymize, boolean measureImpact, SegmentStage segment,
    ReleaseStage release) {

  /** The plan of the pipeline {@code b} configures. */
  static RunPlan of(SegmentationBuilder b) {
    return new RunPlan(b.purpose, Optional.ofNullable(b.schema), b.gate, b.minimization,
        b.subjectField, b.pseudonymizer, b.segmenter, b.release, b.silhouetteSample,
        b.stabilityRuns,
        new LawfulBasisStage(b.gate, b.subjectField, b.purpose),
        new MinimizeStage(b.minimization, b.subjectField),
        new PseudonymizeStage(b.pseudonymizer, b.subjectField),
        Optional.ofNullable(b.anonymizer).map(AnonymizeStage::new),
        b.measureAnonymizationImpact,
        new SegmentStage(b.segmenter, b.executor, b.parallelism, b.silhouetteSample,
            b.silhouetteSeed, b.stabilityRuns),
        new ReleaseStage(b.release));
  }
}
