package dev.privseg.spark;

import dev.privseg.core.PrivsegException;
import java.util.function.Supplier;

/**
 * Runs a Spark action and reports a privseg mistake found in a task as that mistake: Spark wraps
 * a task's exception in its own ("Job aborted due to stage failure ..."), which would report the
 * symptom, not the mistake.
 */
final class SparkErrors {
  private SparkErrors() {}

  /** The action's result; a privseg exception a task threw is thrown again here, by type. */
  static <T> T action(Supplier<T> action) {
    try {
      return action.get();
    } catch (Exception e) {
      for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
        if (t instanceof dev.privseg.core.ConfigurationException c) {
          throw new dev.privseg.core.ConfigurationException(c.getMessage(), e);
        }
        if (t instanceof dev.privseg.core.pseudonymize.KeyException k) {
          throw new dev.privseg.core.pseudonymize.KeyException(k.getMessage(), e);
        }
        if (t instanceof dev.privseg.consent.ConsentException c) {
          throw new dev.privseg.consent.ConsentException(c.getMessage(), e);
        }
        if (t instanceof PrivsegException p) {
          throw new PrivsegException(p.getMessage(), e);
        }
      }
      throw e;
    }
  }
}
