package dev.privseg.core.pipeline;

import dev.privseg.core.report.ProcessingRecord;
import dev.privseg.core.release.Assignments;
import dev.privseg.core.release.Profiles;

/**
 * The outputs of one run.
 *
 * @param assignments pseudonym to segment, only for subjects with a lawful basis (personal data)
 * @param profiles aggregate description per segment, small segments suppressed (shareable)
 * @param report the processing record (no personal data)
 */
public record SegmentationRun(Assignments assignments, Profiles profiles,
    ProcessingRecord report) {

  @Override
  public String toString() {
    return "SegmentationRun[" + assignments + ", " + profiles.released().size()
        + " profiles released, run " + report.runId() + "]";
  }
}
