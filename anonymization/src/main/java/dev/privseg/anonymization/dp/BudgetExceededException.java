package dev.privseg.anonymization.dp;

import dev.privseg.core.PrivsegException;

/**
 * A release would spend more privacy budget than remains. Thrown before anything is computed, so
 * nothing of the refused release exists. The message names the release and the amounts.
 */
public class BudgetExceededException extends PrivsegException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public BudgetExceededException(String message) {
    super(message);
  }
}
