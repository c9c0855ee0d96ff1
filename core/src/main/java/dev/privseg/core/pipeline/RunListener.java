package dev.privseg.core.pipeline;

import java.time.Duration;

/**
 * Receives progress of a run, on the thread that runs it. Callbacks must be quick and must not
 * throw. They carry stage names and counts only, never data. All methods do nothing by default.
 */
public interface RunListener {

  /** A listener that ignores everything. */
  RunListener NONE = new RunListener() {};

  /** {@code stage} starts. */
  default void stageStarted(Stage stage) {}

  /** {@code stage} has done {@code done} of {@code total} units (rows or iterations). */
  default void progress(Stage stage, long done, long total) {}

  /** {@code stage} finished after {@code elapsed}. */
  default void stageFinished(Stage stage, Duration elapsed) {}
}
