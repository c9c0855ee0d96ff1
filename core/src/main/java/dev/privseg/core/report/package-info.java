/**
 * The machine-readable {@link dev.privseg.core.report.ProcessingRecord} of a run: purpose and
 * lawful basis, counts, fields used, dropped and coarsened, pseudonymization, anonymization,
 * segmentation and the privacy status of every output. It holds no personal values.
 */
package dev.privseg.core.report;
