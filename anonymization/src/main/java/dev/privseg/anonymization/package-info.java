/**
 * Anonymizers for the pipeline's anonymize stage: {@link dev.privseg.anonymization.Anonymize}
 * creates each of them.
 */
package dev.privseg.anonymization;
