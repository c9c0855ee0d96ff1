/**
 * privseg anonymization: generalization hierarchies, k-anonymity, l-diversity, t-closeness,
 * microaggregation, differential privacy, risk and utility. Depends on privseg core only.
 */
module dev.privseg.anonymization {
  requires transitive dev.privseg.core;

  requires org.apache.commons.csv;
  requires com.fasterxml.jackson.databind;

  exports dev.privseg.anonymization;
  exports dev.privseg.anonymization.dp;
  exports dev.privseg.anonymization.hierarchy;
  exports dev.privseg.anonymization.microaggregation;
  exports dev.privseg.anonymization.model;
  exports dev.privseg.anonymization.mondrian;
  exports dev.privseg.anonymization.risk;
  exports dev.privseg.anonymization.search;
  exports dev.privseg.anonymization.utility;

  opens dev.privseg.anonymization.search to com.fasterxml.jackson.databind;
  opens dev.privseg.anonymization.mondrian to com.fasterxml.jackson.databind;
}
