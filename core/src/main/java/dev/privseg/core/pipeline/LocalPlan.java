package dev.privseg.core.pipeline;

import java.util.Optional;

/**
 * A {@link RunPlan} as this JVM carries it out: one immutable stage object per stage, made once
 * when the pipeline is built, each holding its part of the configuration.
 *
 * @param plan the plan
 * @param lawfulBasis keeps the rows of subjects the gate allows
 * @param minimize retention, kept fields, coarsening, Art. 9 withholding
 * @param pseudonymize replaces the subject id by a pseudonym; rows become {@link Rows}
 * @param anonymize the optional anonymize stage
 * @param segment fits the segmenter and measures the result
 * @param release makes the assignments and profiles
 */
record LocalPlan(RunPlan plan, LawfulBasisStage lawfulBasis, MinimizeStage minimize,
    PseudonymizeStage pseudonymize, Optional<AnonymizeStage> anonymize, SegmentStage segment,
    ReleaseStage release) {

  /** The local plan of the pipeline {@code b} configures. */
  static LocalPlan of(SegmentationBuilder b) {
    return new LocalPlan(RunPlan.of(b),
        new LawfulBasisStage(b.gate, b.subjectField, b.purpose),
        new MinimizeStage(b.minimization, b.subjectField),
        new PseudonymizeStage(b.pseudonymizer, b.subjectField),
        Optional.ofNullable(b.anonymizer).map(AnonymizeStage::new),
        new SegmentStage(b.segmenter, b.executor, b.parallelism, b.silhouetteSample,
            b.silhouetteSeed, b.stabilityRuns),
        new ReleaseStage(b.release));
  }
}
