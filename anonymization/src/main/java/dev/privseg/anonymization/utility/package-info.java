/**
 * Information-loss metrics the generalization search minimizes.
 */
package dev.privseg.anonymization.utility;
