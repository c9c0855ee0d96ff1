package dev.privseg.core.pipeline;

import dev.privseg.core.anonymize.AnonymizedData;
import dev.privseg.core.anonymize.Anonymizer;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.report.ProcessingRecord;

/**
 * The optional anonymize stage, with one job: protect the quasi-identifiers of the pseudonymized
 * rows with the anonymizer, dropping the rows it suppresses from pseudonyms and features alike,
 * and say what holds for its releasable microdata. Immutable.
 */
final class AnonymizeStage {
  private final Anonymizer anonymizer;

  AnonymizeStage(Anonymizer anonymizer) {
    this.anonymizer = anonymizer;
  }

  /**
   * What the stage released.
   *
   * @param rows the released rows, anonymized
   * @param microdata the releasable microdata: the covered fields of the released rows
   * @param original the released rows with their original values when {@code keepOriginal}
   *     was asked for (to measure the impact), else null
   * @param scheme the anonymizer's saved scheme, to re-apply to later rows, or null if it has
   *     none
   */
  record Anonymized(Rows rows, Dataset microdata, Dataset original, String scheme) {}

  /**
   * Anonymizes {@code rows}; keeps their original values if {@code keepOriginal}; records the
   * method, what it did, and what holds for the released rows and the microdata.
   */
  Anonymized run(Rows rows, boolean keepOriginal, RunRecorder recorder) {
    Dataset features = rows.features();
    AnonymizedData anonymized = anonymizer.anonymize(features);
    ProcessingRecord.AnonymizationEntry entry = new ProcessingRecord.AnonymizationEntry(
        anonymizer.description(), anonymizer.parameters(), features.rowCount(),
        anonymized.suppressed(features.rowCount()), anonymized.summary(), null);
    recorder.anonymization(entry, anonymized.guarantees(), anonymized.coveredFields());
    return new Anonymized(rows.released(anonymized.releasedRows(), anonymized.data()),
        anonymized.microdata(),
        keepOriginal ? features.select(anonymized.releasedRows()) : null,
        anonymizer.savedScheme(anonymized).orElse(null));
  }
}
