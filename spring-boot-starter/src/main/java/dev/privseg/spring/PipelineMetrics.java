package dev.privseg.spring;

import dev.privseg.anonymization.dp.PrivacyAccountant;
import dev.privseg.core.Checks;
import dev.privseg.core.release.BudgetStatus;
import dev.privseg.core.release.SpendLog;
import dev.privseg.core.report.ProcessingRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The segmentation runs' meters, from each run's processing record: {@code privseg.run.stage}
 * (a timer per pipeline and stage: lawful_basis, minimize, pseudonymize, segment, release...),
 * {@code privseg.run.excluded} (rows left out, per pipeline,
 * stage — read, gate or retention — and reason), {@code privseg.run.processed} (rows segmented),
 * {@code privseg.run.failures} (per pipeline and exception type), and the gauge
 * {@code privseg.budget.left} (the share of each privacy budget's ε not yet spent, per budget),
 * read at binding and after each run. Counts, names and durations only, never a subject.
 * Thread-safe.
 */
public final class PipelineMetrics implements MeterBinder, SegmentationService.Listener {
  private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
  private final SpendLog spends;
  private MultiGauge budgets;

  /** The meters of the runs, and the gauge of the budgets in {@code spends}. */
  public PipelineMetrics(SpendLog spends) {
    this.spends = Checks.notNull(spends, "spends");
  }

  @Override
  public synchronized void bindTo(MeterRegistry bound) {
    registry.add(bound);
    if (budgets == null) {
      budgets = MultiGauge.builder("privseg.budget.left")
          .description("Share of a privacy budget's epsilon not yet spent (composition included)")
          .baseUnit("ratio").register(registry);
    }
    refreshBudgets();
  }

  @Override
  public void ran(String pipeline, ProcessingRecord record) {
    Tags tags = Tags.of("pipeline", pipeline);
    record.stageMillis().forEach((stage, millis) -> registry.timer("privseg.run.stage",
        tags.and("stage", stage.toLowerCase(java.util.Locale.ROOT)))
        .record(Duration.ofMillis(millis)));
    ProcessingRecord.Counts counts = record.counts();
    excluded(tags, "read", counts.rejectedAtRead());
    excluded(tags, "gate", counts.excludedByGate());
    excluded(tags, "retention", counts.excludedByRetention());
    registry.counter("privseg.run.processed", tags).increment(counts.processedRows());
    synchronized (this) {
      refreshBudgets();
    }
  }

  private void excluded(Tags tags, String stage, Map<String, Long> byReason) {
    byReason.forEach((reason, rows) -> registry.counter("privseg.run.excluded",
        tags.and("stage", stage).and("reason", reason)).increment(rows));
  }

  @Override
  public void failed(String pipeline, Throwable failure) {
    registry.counter("privseg.run.failures", "pipeline", pipeline, "exception",
        failure.getClass().getSimpleName()).increment();
  }

  private void refreshBudgets() {
    if (budgets == null) {
      return;
    }
    List<BudgetStatus> all = PrivacyAccountant.budgets(spends);
    budgets.register(all.stream().map(b -> MultiGauge.Row.of(Tags.of("budget", b.budgetId()),
        1 - b.spentShare())).toList(), true);
  }

  @Override
  public String toString() {
    return "PipelineMetrics";
  }
}
