package dev.privseg.core.pipeline;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.minimize.MinimizationRules;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.report.ProcessingRecord;
import dev.privseg.core.segment.FeatureEncoding;
import dev.privseg.core.segment.SavedSegments;
import dev.privseg.core.segment.SegmentModel;
import dev.privseg.core.segment.SegmentationResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one run of a {@link LocalPlan} in this JVM: passes the input through the plan's
 * stages in order, times them and reports progress and cancellation; each stage writes its own
 * entry of the record into the run's {@link RunRecorder}. One object per run; not thread-safe (a
 * pipeline makes one per run, so runs may go on concurrently).
 */
final class LocalExecution {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentationPipeline.class);
  private final LocalPlan local;
  private final RunPlan plan;
  private final Dataset input;
  private final RunOptions options;
  private final RunRecorder recorder;
  private long stageStart;

  LocalExecution(LocalPlan local, Dataset input, RunOptions options) {
    this.local = local;
    this.plan = local.plan();
    this.input = input;
    this.options = options;
    this.recorder = plan.recorder(options.at());
  }

  /** Runs the plan on the input. */
  SegmentationRun run() {
    checkSchema();
    LOG.debug("run for purpose {} on {} rows", plan.purpose().id(), input.rowCount());
    Map<String, Long> rejected = new LinkedHashMap<>();
    input.readReport().rejected().forEach((k, v) -> rejected.put(k.name(), v));
    recorder.read(input.rowCount(), rejected);

    begin(Stage.LAWFUL_BASIS);
    LawfulBasisStage.Admitted admitted = local.lawfulBasis().run(input, options.at(),
        options.listener(), () -> checkCancelled(Stage.LAWFUL_BASIS), recorder);
    end(Stage.LAWFUL_BASIS);

    begin(Stage.MINIMIZE);
    MinimizationRules.Outcome minimized = local.minimize().run(admitted.rows(), options.at(),
        admitted.runGate(), recorder);
    end(Stage.MINIMIZE);

    begin(Stage.PSEUDONYMIZE);
    // From here on the raw identifier is gone: later stages see pseudonyms and the kept
    // fields only, and only the categories that the processed rows hold.
    Rows rows = local.pseudonymize().run(minimized, options.listener(),
        () -> checkCancelled(Stage.PSEUDONYMIZE), recorder);
    end(Stage.PSEUDONYMIZE);

    Dataset original = null; // the released rows' original values, only to measure the impact
    Dataset microdata = null;
    String scheme = ""; // the anonymizer's saved scheme; null if it has none
    if (local.anonymize().isPresent()) {
      begin(Stage.ANONYMIZE);
      AnonymizeStage.Anonymized anonymized = local.anonymize().get().run(rows,
          plan.measuresAnonymizationImpact(), recorder);
      microdata = anonymized.microdata();
      original = anonymized.original();
      rows = anonymized.rows();
      scheme = anonymized.scheme();
      end(Stage.ANONYMIZE);
    }

    begin(Stage.SEGMENT);
    SegmentStage.Segmented segmented = local.segment().run(rows.features(), minimized.used(),
        original, options.listener(), () -> checkCancelled(Stage.SEGMENT), recorder);
    SegmentationResult result = segmented.result();
    end(Stage.SEGMENT);

    begin(Stage.RELEASE);
    ReleaseStage.Released released = local.release().run(rows, result, recorder);
    end(Stage.RELEASE);

    begin(Stage.REPORT);
    ProcessingRecord report = recorder.build();
    SegmentationRun run = new SegmentationRun(released.assignments(), released.profiles(),
        report, Optional.ofNullable(microdata),
        model(report, result, segmented.encoding(), scheme));
    end(Stage.REPORT);
    return run;
  }

  /**
   * The run's segments as a model for incremental assignment: the model assigned to when the
   * segmenter assigns to saved segments; its rules for rule segments; empty when the segmenter
   * neither assigns rows to their nearest centroid nor is rules, or the anonymizer saved no
   * scheme to transform later rows by.
   */
  private Optional<SegmentModel> model(ProcessingRecord report, SegmentationResult result,
      FeatureEncoding encoding, String scheme) {
    if (plan.segmenter() instanceof SavedSegments saved) {
      return Optional.of(saved.model());
    }
    if (scheme == null) {
      return Optional.empty();
    }
    if (plan.segmenter() instanceof dev.privseg.core.segment.rules.RuleSegments rules) {
      return Optional.of(new SegmentModel(SegmentModel.FORMAT, report.runId(),
          report.purpose().id(), rules.description(), result.segments(),
          result.segmentNames(), null, new double[0], rules.rules(), scheme));
    }
    if (encoding == null) {
      return Optional.empty();
    }
    return Optional.of(new SegmentModel(SegmentModel.FORMAT, report.runId(),
        report.purpose().id(), plan.segmenter().description(), result.segments(),
        result.segmentNames(), encoding, result.centroids(), java.util.Map.of(), scheme));
  }

  /** Refuses an input the plan was not made for, naming what differs; checks the subject field. */
  private void checkSchema() {
    Schema bound = plan.schema().orElse(null);
    if (bound != null && !bound.equals(input.schema())) {
      List<String> differ = new ArrayList<>();
      for (Field f : bound.fields()) {
        if (!input.schema().contains(f.name())) {
          differ.add("'" + f.name() + "' is missing");
        } else if (!input.schema().field(f.name()).equals(f)) {
          differ.add("'" + f.name() + "' is declared differently");
        }
      }
      for (String name : input.schema().names()) {
        if (!bound.contains(name)) {
          differ.add("'" + name + "' is not in the bound schema");
        }
      }
      if (differ.isEmpty()) {
        differ.add("the subject field differs");
      }
      throw new ConfigurationException("the input's schema is not the one this pipeline was "
          + "built for: " + String.join(", ", differ));
    }
    PseudonymizeStage.checkSubjectField(input.schema(), plan.subjectField());
  }

  private void begin(Stage stage) {
    checkCancelled(stage);
    stageStart = System.nanoTime();
    options.listener().stageStarted(stage);
  }

  private void end(Stage stage) {
    Duration took = Duration.ofNanos(System.nanoTime() - stageStart);
    recorder.stageTime(stage, took);
    options.listener().stageFinished(stage, took);
    LOG.debug("stage {} took {} ms", stage, took.toMillis());
  }

  private void checkCancelled(Stage stage) {
    if (options.cancellation().isCancelled()) {
      throw new RunCancelledException(stage);
    }
  }
}
