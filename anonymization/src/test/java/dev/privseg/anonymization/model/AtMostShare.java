package dev.privseg.anonymization.model;

/**
 * A privacy model written outside the library, as a user would: no value of {@code field} makes
 * up more than {@code share} of a class. Monotone under merging (if each class keeps every value
 * at or below the share, so does their union), as the contract asks.
 */
record AtMostShare(String field, double share) implements PrivacyModel {
  @Override
  public String criterion() {
    return "at most " + share + " of a class per value of '" + field + "'";
  }

  @Override
  public boolean holds(EquivalenceClass cls) {
    return cls.sensitive(field).frequency(1) <= share * cls.size();
  }

  @Override
  public String sensitiveField() {
    return field;
  }
}
