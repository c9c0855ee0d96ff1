/**
 * RFM segmentation: recency, frequency and monetary quintile scores, aggregated from a
 * transactions dataset ({@link dev.privseg.core.segment.rfm.RfmAggregation}), and the usual named
 * segments (champions, loyal, at risk, hibernating, ...) as configurable rules.
 */
package dev.privseg.core.segment.rfm;
