/**
 * The anonymize stage's contract: {@link dev.privseg.core.anonymize.Anonymizer} and what it
 * returns. Implementations (generalization with optimal lattice search, Mondrian, MDAV) live in the
 * {@code privseg-anonymization} module.
 */
package dev.privseg.core.anonymize;
