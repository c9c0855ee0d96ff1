/**
 * Re-identification risk: equivalence classes, prosecutor risk, and population uniqueness
 * estimates.
 */
package dev.privseg.anonymization.risk;
