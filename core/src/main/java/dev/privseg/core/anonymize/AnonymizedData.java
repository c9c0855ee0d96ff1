package dev.privseg.core.anonymize;

import dev.privseg.core.Checks;
import dev.privseg.core.dataset.Dataset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an {@link Anonymizer} released.
 *
 * @param data the released rows: the input's fields, quasi-identifiers transformed; suppressed rows
 *     are absent
 * @param releasedRows for each row of {@code data}, its row index in the input, ascending
 * @param summary what was achieved, for the processing record: achieved k / l / t, the
 *     transformation chosen, rows suppressed, information loss, re-identification risk before and
 *     after. Counts, names and parameters only, never personal values
 * @param guarantees statements that hold for {@code data}, e.g. "every released row shares its
 *     quasi-identifiers with at least 9 others"
 * @param coveredFields the fields of {@code data} the guarantees cover: the quasi-identifiers, and
 *     the sensitive attributes a model protects. Released microdata holds only these: another
 *     kept field, written as it is, could single a person out whatever the guarantee says
 */
public record AnonymizedData(Dataset data, int[] releasedRows, Map<String, Object> summary,
    List<String> guarantees, List<String> coveredFields) {

  /** Checks that the rows line up and copies the collections. */
  public AnonymizedData {
    Checks.notNull(data, "data");
    coveredFields = List.copyOf(coveredFields);
    Checks.check(!coveredFields.isEmpty(), "an anonymization covers at least one field");
    for (String f : coveredFields) {
      Checks.check(data.schema().contains(f), "covered field '%s' is not in the released data",
          f);
    }
    Checks.check(releasedRows.length == data.rowCount(),
        "%s released row indexes for %s released rows", releasedRows.length, data.rowCount());
    summary = Collections.unmodifiableMap(new LinkedHashMap<>(summary));
    guarantees = List.copyOf(guarantees);
  }

  /** The released rows of the covered fields only: what may be released as microdata. */
  public Dataset microdata() {
    return data.project(coveredFields);
  }

  /** The number of input rows suppressed (not released). */
  public int suppressed(int inputRows) {
    return inputRows - releasedRows.length;
  }

  @Override
  public String toString() {
    return "AnonymizedData[" + releasedRows.length + " rows released, " + summary.keySet() + "]";
  }
}
