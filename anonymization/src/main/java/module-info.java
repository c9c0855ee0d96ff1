/**
 * privseg anonymization: generalization hierarchies, k-anonymity, l-diversity, t-closeness,
 * microaggregation, differential privacy, risk and utility. Depends on privseg core only.
 */
module dev.privseg.anonymization {
  requires transitive dev.privseg.core;

  requires org.apache.commons.csv;

  exports dev.privseg.anonymization;
  exports dev.privseg.anonymization.dp;
  exports dev.privseg.anonymization.hierarchy;
  exports dev.privseg.anonymization.model;
  exports dev.privseg.anonymization.risk;
  exports dev.privseg.anonymization.search;
  exports dev.privseg.anonymization.utility;
}
