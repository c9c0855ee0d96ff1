package dev.privseg.core.schema;

/** What a field means for the privacy of the person it describes. */
public enum PrivacyRole {
  /** Identifies a person on its own (customer id, e-mail, phone). Never leaves a run raw. */
  DIRECT_IDENTIFIER,
  /** Identifies a person in combination with others (age, postcode, gender). */
  QUASI_IDENTIFIER,
  /** Must not be linked to a person (income, health of an account). */
  SENSITIVE,
  /** A special category of GDPR Art. 9 (ethnic origin, health, religion ...). */
  SPECIAL_CATEGORY,
  /** None of the above. */
  OTHER
}
