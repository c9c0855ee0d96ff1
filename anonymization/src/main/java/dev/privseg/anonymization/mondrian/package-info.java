/**
 * Mondrian multidimensional partitioning (LeFevre et al. 2006) for numeric quasi-identifiers,
 * with its cuts saved as a scheme that later batches can be held to.
 */
package dev.privseg.anonymization.mondrian;
