/**
 * Generalization hierarchies for quasi-identifiers: intervals, quantiles, dates, masking,
 * prefixes, taxonomies, ordinal groups, or levels read from a CSV file.
 */
package dev.privseg.anonymization.hierarchy;
