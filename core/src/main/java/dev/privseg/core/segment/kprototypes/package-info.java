/**
 * k-prototypes (Huang 1998) for mixed numeric and categorical fields, without one-hot
 * encoding the categories.
 */
package dev.privseg.core.segment.kprototypes;
