package dev.privseg.core.pipeline;

import dev.privseg.core.release.Assignments;
import dev.privseg.core.release.Profiles;
import dev.privseg.core.release.ReleasePolicy;
import dev.privseg.core.segment.SegmentationResult;

/**
 * The release stage, with one job: the run's two outputs from its segments, the assignments
 * (pseudonym to segment, for the controller) and the profiles, computed by the release policy's
 * mechanism (exact with small segments suppressed, or differentially private). Immutable.
 */
final class ReleaseStage {
  private final ReleasePolicy release;

  ReleaseStage(ReleasePolicy release) {
    this.release = release;
  }

  /**
   * The run's outputs.
   *
   * @param assignments each row's pseudonym and segment (and the segment's name, if any)
   * @param profiles the released profiles and which segments were suppressed
   */
  record Released(Assignments assignments, Profiles profiles) {}

  /** Releases the segments {@code result} gave the rows {@code rows}; records what it released. */
  Released run(Rows rows, SegmentationResult result, RunRecorder recorder) {
    Profiles profiles = release.mechanism().release(rows.features(), result.labels(),
        result.segments(), release);
    recorder.release(result.labels().length, profiles);
    return new Released(new Assignments(rows.pseudonyms(), result.labels(),
        result.segmentNames()), profiles);
  }
}
