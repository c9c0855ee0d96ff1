/**
 * Full-domain generalization with an optimal search of the generalization lattice, and the
 * transformation scheme it chose, which can be saved and applied to later batches.
 */
package dev.privseg.anonymization.search;
