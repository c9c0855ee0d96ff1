package dev.privseg.core.pipeline;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.PrivsegException;
import dev.privseg.core.Purpose;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.gate.BasisDecision;
import dev.privseg.core.gate.BasisDecisions;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.gate.NoSubjectAllowedException;
import dev.privseg.core.gate.RunGate;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * The first stage of a run, with one job: keep only the rows of subjects the gate allows for the
 * purpose at the run's instant, count the others by decision (never naming them), and refuse an
 * input whose allowed rows repeat a subject. Asks the gate once for a run-scoped view
 * ({@link LawfulBasisGate#forRun}), which later stages reuse (explicit consent). Immutable.
 */
final class LawfulBasisStage {
  private final LawfulBasisGate gate;
  private final String subjectField;
  private final Purpose purpose;

  LawfulBasisStage(LawfulBasisGate gate, String subjectField, Purpose purpose) {
    this.gate = gate;
    this.subjectField = subjectField;
    this.purpose = purpose;
  }

  /**
   * What the stage let through.
   *
   * @param rows the allowed rows of the input, in input order
   * @param runGate the run's view of the gate the decisions came from
   */
  record Admitted(Dataset rows, RunGate runGate) {}

  /**
   * Decides every row of {@code input} at {@code at}; reports to {@code listener}; records the
   * rows excluded, by decision.
   */
  Admitted run(Dataset input, Instant at, RunListener listener, Runnable checkCancelled,
      RunRecorder recorder) {
    RunGate runGate = gate.forRun(purpose, at);
    StringColumn ids = input.column(subjectField, StringColumn.class);
    int n = input.rowCount();
    BasisDecisions decisions = new BasisDecisions(n);
    runGate.decideAll(ids, decisions);
    checkCancelled.run();
    int[] rows = new int[n];
    int kept = 0;
    long[] counts = new long[BasisDecision.values().length];
    for (int r = 0; r < n; r++) {
      BasisDecision d = decisions.get(r); // throws naming the row if the gate skipped it
      if (d.isAllowed()) {
        rows[kept++] = r;
      } else {
        counts[d.ordinal()]++;
      }
    }
    listener.progress(Stage.LAWFUL_BASIS, n, n);
    EnumMap<BasisDecision, Long> excluded = new EnumMap<>(BasisDecision.class);
    for (BasisDecision d : BasisDecision.values()) {
      if (counts[d.ordinal()] > 0) {
        excluded.put(d, counts[d.ordinal()]);
      }
    }
    if (kept == 0) {
      throw nobodyAllowed(runGate, n, excluded);
    }
    int[] allowed = Arrays.copyOf(rows, kept);
    int[] repeat = SubjectIds.firstRepeat(ids, allowed);
    if (repeat != null) {
      throw new ConfigurationException("rows " + (repeat[0] + 1) + " and " + (repeat[1] + 1)
          + " have the same subject id in field '" + subjectField + "': a run's input needs "
          + "one row per subject (aggregate transactions first, e.g. with RfmAggregation)");
    }
    recorder.lawfulBasis(excluded);
    return new Admitted(input.select(allowed), runGate);
  }

  /** The mistake of a run that the gate let nobody through, said as that. */
  private PrivsegException nobodyAllowed(RunGate runGate, int rows,
      Map<BasisDecision, Long> excluded) {
    if (rows == 0) {
      return new PrivsegException("the input has no rows: there is nothing to segment");
    }
    return new NoSubjectAllowedException(String.format(java.util.Locale.ROOT,
        "no subject may be processed for purpose '%s': the lawful-basis gate allowed none of "
            + "the %,d input rows (%s)%s", purpose.id(), rows, excluded,
        "; " + runGate.whyNoneAllowed().orElse("the gate: " + gate.description())),
        rows, excluded);
  }
}
