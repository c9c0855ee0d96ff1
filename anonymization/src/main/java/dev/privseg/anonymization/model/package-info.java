/**
 * Privacy models every released table must meet: k-anonymity, l-diversity (distinct, entropy,
 * recursive), t-closeness, and k-map against a population table.
 */
package dev.privseg.anonymization.model;
