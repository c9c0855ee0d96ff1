package dev.privseg.anonymization.model;

/**
 * The values of one sensitive field within one {@link EquivalenceClass}: what l-diversity and
 * t-closeness measure. A missing value counts as a value of its own. Views are reused; read them
 * inside {@link PrivacyModel#holds} and keep nothing.
 */
public interface SensitiveValues {

  /** How many distinct values the class holds, at least 1. */
  int distinct();

  /**
   * How often the {@code rank}-th most frequent value occurs in the class.
   *
   * @param rank from 1 (the most frequent) to {@link #distinct()}
   * @throws IndexOutOfBoundsException if {@code rank} is outside that range
   */
  int frequency(int rank);

  /** The Shannon entropy of the class's values, in nats (natural logarithm). */
  double entropy();

  /**
   * The earth mover's distance between the class's distribution of values and the whole table's,
   * in [0, 1]: the ordered distance for numeric fields and for categorical fields given an
   * {@link PrivacyModel#sensitiveOrder() order}, the equal distance otherwise (Li et al. 2007).
   */
  double distanceToTable();
}
