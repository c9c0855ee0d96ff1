/**
 * privseg on Apache Spark: carries out a pipeline's {@link dev.privseg.core.pipeline.RunPlan} on
 * a Spark {@code Dataset<Row>}, with the local engine's rules and record. Spark is a provided
 * dependency; privseg uses the Jackson Spark ships.
 */
package dev.privseg.spark;
