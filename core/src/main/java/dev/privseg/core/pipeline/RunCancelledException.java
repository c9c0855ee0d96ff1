package dev.privseg.core.pipeline;

import dev.privseg.core.PrivsegException;

/** A run was cancelled through its {@link CancellationToken}; it released nothing. */
public class RunCancelledException extends PrivsegException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception naming the stage that noticed the cancellation. */
  public RunCancelledException(Stage stage) {
    super("run cancelled during stage " + stage);
  }
}
