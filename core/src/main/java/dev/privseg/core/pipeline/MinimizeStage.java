package dev.privseg.core.pipeline;

import dev.privseg.core.Purpose;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.minimize.MinimizationRules;
import dev.privseg.core.minimize.Retention;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The minimize stage, with one job: of the admitted rows, keep those within the retention limit
 * (storage limitation, counted by reason), then only the kept fields, coarsened, with
 * special-category values withheld from every subject whose explicit consent the run's gate does
 * not vouch for (GDPR Art. 9(2)(a), counted). Immutable.
 */
final class MinimizeStage {
  private final MinimizationRules minimization;
  private final String subjectField;
  private final Purpose purpose;

  MinimizeStage(MinimizationRules minimization, String subjectField, Purpose purpose) {
    this.minimization = minimization;
    this.subjectField = subjectField;
    this.purpose = purpose;
  }

  /**
   * What the stage kept.
   *
   * @param outcome the minimized rows (kept fields and the subject field) and the field lists
   * @param excludedByRetention rows past the retention limit, by reason
   * @param specialWithheld rows whose special-category values were withheld
   */
  record Minimized(MinimizationRules.Outcome outcome, Map<String, Long> excludedByRetention,
      long specialWithheld) {}

  /** Minimizes {@code admitted} as of {@code at}, asking {@code runGate} about explicit consent. */
  Minimized run(Dataset admitted, Instant at, LawfulBasisGate runGate) {
    Dataset rows = admitted;
    Map<String, Long> retention = new LinkedHashMap<>();
    if (minimization.retention().isPresent()) {
      // Storage limitation first: rows past the retention limit reach no later stage.
      Retention.Selection kept = minimization.retention().get().select(rows, at);
      rows = rows.select(kept.rows());
      if (kept.olderThanLimit() > 0) {
        retention.put("OLDER_THAN_LIMIT", kept.olderThanLimit());
      }
      if (kept.undated() > 0) {
        retention.put("NO_DATE", kept.undated());
      }
    }
    MinimizationRules.Outcome outcome = minimization.apply(rows, List.of(subjectField));
    List<String> special = minimization.specialCategories();
    if (special.isEmpty()) {
      return new Minimized(outcome, Collections.unmodifiableMap(retention), 0);
    }
    Dataset data = outcome.dataset();
    boolean[] explicit = new boolean[data.rowCount()];
    runGate.explicitConsentAll(data.column(subjectField, StringColumn.class), purpose, at,
        explicit);
    boolean[] withhold = new boolean[explicit.length];
    long withheld = 0;
    for (int r = 0; r < explicit.length; r++) {
      withhold[r] = !explicit[r];
      if (withhold[r]) {
        withheld++;
      }
    }
    for (String field : special) {
      data = data.withColumn(data.column(field).withRowsMissing(withhold));
    }
    return new Minimized(new MinimizationRules.Outcome(data, outcome.used(), outcome.dropped(),
        outcome.coarsened()), Collections.unmodifiableMap(retention), withheld);
  }
}
