/**
 * privseg anonymization: generalization hierarchies, k-anonymity, l-diversity, t-closeness,
 * microaggregation, differential privacy, risk and utility. Depends on privseg core only. Its
 * packages arrive with the anonymization issue.
 */
module dev.privseg.anonymization {
  requires transitive dev.privseg.core;
}
