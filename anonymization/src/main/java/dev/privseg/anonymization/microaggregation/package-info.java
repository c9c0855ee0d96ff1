/**
 * Microaggregation with MDAV (Domingo-Ferrer and Mateo-Sanz 2002): numeric quasi-identifiers
 * replaced by the means of groups of at least k rows.
 */
package dev.privseg.anonymization.microaggregation;
