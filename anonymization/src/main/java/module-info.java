/**
 * privseg anonymization: generalization hierarchies, k-anonymity, l-diversity, t-closeness,
 * microaggregation, differential privacy, risk and utility. Depends on privseg core only. So far
 * it holds the differential-privacy foundation: exact discrete samplers and the budget accountant.
 */
module dev.privseg.anonymization {
  requires transitive dev.privseg.core;

  requires org.apache.commons.csv;

  exports dev.privseg.anonymization.dp;
  exports dev.privseg.anonymization.hierarchy;
  exports dev.privseg.anonymization.risk;
}
