/**
 * privseg core: the data model, the pipeline and its builder, segmentation algorithms, and the
 * interfaces the consent and anonymization modules implement.
 */
module dev.privseg.core {
  requires org.slf4j;
  requires org.apache.commons.csv;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires org.yaml.snakeyaml;
  requires transitive java.sql;

  exports dev.privseg.core;
  exports dev.privseg.core.schema;
  exports dev.privseg.core.dataset;
  exports dev.privseg.core.io;
  exports dev.privseg.core.gate;
  exports dev.privseg.core.minimize;
  exports dev.privseg.core.pseudonymize;
  exports dev.privseg.core.anonymize;
  exports dev.privseg.core.segment;
  exports dev.privseg.core.segment.kmeans;
  exports dev.privseg.core.segment.gmm;
  exports dev.privseg.core.segment.kprototypes;
  exports dev.privseg.core.segment.rfm;
  exports dev.privseg.core.segment.rules;
  exports dev.privseg.core.release;
  exports dev.privseg.core.report;
  exports dev.privseg.core.pipeline;

  opens dev.privseg.core.report to com.fasterxml.jackson.databind;
  opens dev.privseg.core.release to com.fasterxml.jackson.databind;
}
