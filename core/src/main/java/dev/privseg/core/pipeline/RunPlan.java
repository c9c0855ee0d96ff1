package dev.privseg.core.pipeline;

import java.util.Optional;

/**
 * A run as a plan of stages, made once when a pipeline is built: every stage is immutable and
 * holds its configuration, and a run passes its data, instant, listener and cancellation through
 * them in order. The in-process execution is one way to carry it out; the plan does not depend on
 * it (the seam where another executor plugs in).
 *
 * @param lawfulBasis keeps the rows of subjects the gate allows
 * @param minimize retention, kept fields, coarsening, Art. 9 withholding
 * @param pseudonymize replaces the subject id by a pseudonym; rows become {@link Rows}
 * @param anonymize the optional anonymize stage
 * @param measureImpact whether the anonymize stage keeps the original values to measure the
 *     impact on the segments
 * @param segment fits the segmenter and measures the result
 */
record RunPlan(LawfulBasisStage lawfulBasis, MinimizeStage minimize,
    PseudonymizeStage pseudonymize, Optional<AnonymizeStage> anonymize, boolean measureImpact,
    SegmentStage segment) {}
