package dev.privseg.core.minimize;

import dev.privseg.core.dataset.Column;

/**
 * A rule that makes one field's values less precise (GDPR Art. 5(1)(c), data minimisation): age to
 * an age band, a postcode to its prefix, a date to its month. Obtain instances from {@link Coarsen}.
 * Implementations are immutable and thread-safe, and a row's coarse value depends on its own value
 * only. An engine that runs on other machines (Spark) sends the rule to them: there it must also
 * be {@link java.io.Serializable}, as every rule {@link Coarsen} makes is.
 */
public interface Coarsening {

  /** Applies the rule to a column; throws naming the field if its type does not fit the rule. */
  Column apply(Column column);

  /** A description for the processing record, e.g. {@code "bands of width 10"}. No data. */
  String description();
}
