package dev.privseg.core.pipeline;

import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.gate.RunGate;
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

  MinimizeStage(MinimizationRules minimization, String subjectField) {
    this.minimization = minimization;
    this.subjectField = subjectField;
  }

  /**
   * Minimizes {@code admitted} as of {@code at}, asking {@code runGate} about explicit consent;
   * records the fields, the rows past the retention limit and the rows withheld.
   *
   * @return the minimized rows (kept fields and the subject field) and the field lists
   */
  MinimizationRules.Outcome run(Dataset admitted, Instant at, RunGate runGate,
      RunRecorder recorder) {
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
      recorder.minimization(outcome, Collections.unmodifiableMap(retention), 0);
      return outcome;
    }
    Dataset data = outcome.dataset();
    boolean[] explicit = new boolean[data.rowCount()];
    runGate.explicitConsentAll(data.column(subjectField, StringColumn.class), explicit);
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
    MinimizationRules.Outcome minimized = new MinimizationRules.Outcome(data, outcome.used(),
        outcome.dropped(), outcome.coarsened());
    recorder.minimization(minimized, Collections.unmodifiableMap(retention), withheld);
    return minimized;
  }
}
