package dev.privseg.core.pipeline;

import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.report.ProcessingRecord;
import dev.privseg.core.release.Assignments;
import dev.privseg.core.release.Profiles;
import java.util.Optional;

/**
 * The outputs of one run.
 *
 * @param assignments pseudonym to segment, only for subjects with a lawful basis (personal data)
 * @param profiles aggregate description per segment, small segments suppressed (shareable)
 * @param report the processing record (no personal data)
 * @param anonymizedMicrodata with an anonymize stage, the released rows as the anonymizer left
 *     them, of only the fields its guarantee covers (quasi-identifiers, protected sensitive
 *     attributes), without identifiers or pseudonyms; the report's anonymization entry and
 *     guarantees state what holds for them. Empty without an anonymize stage
 * @param model the run's segments saved for incremental assignment
 *     ({@code SegmentationBuilder.assignTo}): present when the segmenter assigns rows to their
 *     nearest centroid (k-means) or is rule segments, and the anonymizer, if any, saved its
 *     scheme (full-domain generalization); a run that assigned to saved segments gives the model
 *     it assigned to
 */
public record SegmentationRun(Assignments assignments, Profiles profiles,
    ProcessingRecord report, Optional<Dataset> anonymizedMicrodata,
    Optional<dev.privseg.core.segment.SegmentModel> model) {

  /** A run without a saved model. */
  public SegmentationRun(Assignments assignments, Profiles profiles, ProcessingRecord report,
      Optional<Dataset> anonymizedMicrodata) {
    this(assignments, profiles, report, anonymizedMicrodata, Optional.empty());
  }

  /**
   * The segments' names, indexed by segment number, for rule and RFM segmentations; empty where
   * segments are numbered only. Pass them to {@link Profiles#writeCsv(java.nio.file.Path,
   * java.util.List)}; the assignments carry them already.
   */
  public java.util.List<String> segmentNames() {
    return assignments.segmentNames();
  }

  @Override
  public String toString() {
    return "SegmentationRun[" + assignments + ", " + profiles.released().size()
        + " profiles released, run " + report.runId() + "]";
  }
}
