package dev.privseg.anonymization.model;

/**
 * One equivalence class (the rows an anonymizer releases with equal quasi-identifiers) as a
 * {@link PrivacyModel} sees it while deciding whether the class may be released.
 *
 * <p>Anonymizers reuse one view for every class they check, so a model reads it inside
 * {@link PrivacyModel#holds} and keeps nothing. Reading costs no allocation.
 */
public interface EquivalenceClass {

  /** The number of rows in the class, at least 1. */
  int size();

  /**
   * The number of individuals of the model's {@link PrivacyModel#population() population} that
   * match the class, at least {@link #size()} (the data is part of its population). Anonymizers
   * that cannot match population rows to a released class report {@link #size()}, a lower bound,
   * which keeps every guarantee and only costs utility.
   *
   * @throws IllegalStateException if no configured model declared a population
   */
  long populationMatches();

  /**
   * The values of {@code field} in the class.
   *
   * @param field a field some configured model declared as its
   *     {@link PrivacyModel#sensitiveField() sensitive field}
   * @throws IllegalArgumentException if no configured model declared {@code field}
   */
  SensitiveValues sensitive(String field);
}
