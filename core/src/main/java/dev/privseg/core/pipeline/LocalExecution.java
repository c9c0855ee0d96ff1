package dev.privseg.core.pipeline;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.gate.BasisDecision;
import dev.privseg.core.minimize.MinimizationRules;
import dev.privseg.core.report.ProcessingRecord;
import dev.privseg.core.release.Assignments;
import dev.privseg.core.release.PrivacyLoss;
import dev.privseg.core.release.ProfileMechanism;
import dev.privseg.core.release.Profiles;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentationResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one run of a {@link RunPlan} in this JVM: passes the input through the plan's
 * stages in order, times them, reports progress and cancellation, and assembles the processing
 * record from what each stage returned. One object per run; not thread-safe (a pipeline makes one
 * per run, so runs may go on concurrently).
 */
final class LocalExecution {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentationPipeline.class);
  private final RunPlan plan;
  private final Dataset input;
  private final RunOptions options;
  private final Map<String, Long> stageMillis = new LinkedHashMap<>();
  private final Instant startedAt = Instant.now();
  /** The minimize stage's counts, for the record. */
  private long specialWithheld;
  private Map<String, Long> excludedByRetention = Map.of();
  private List<String> anonymizationGuarantees = List.of();
  /** With an anonymize stage, the releasable microdata (covered fields only). */
  private Dataset microdata;

  LocalExecution(RunPlan plan, Dataset input, RunOptions options) {
    this.plan = plan;
    this.input = input;
    this.options = options;
  }

  /** Runs the plan on the input. */
  SegmentationRun run() {
    checkSubjectField();
    LOG.debug("run for purpose {} on {} rows", plan.purpose().id(), input.rowCount());

    begin(Stage.LAWFUL_BASIS);
    LawfulBasisStage.Admitted admitted = plan.lawfulBasis().run(input, options.at(),
        options.listener(), () -> checkCancelled(Stage.LAWFUL_BASIS));
    Map<BasisDecision, Long> excluded = admitted.excluded();
    Dataset allowed = admitted.rows();
    end(Stage.LAWFUL_BASIS);

    begin(Stage.MINIMIZE);
    MinimizeStage.Minimized minimizedRows = plan.minimize().run(allowed, options.at(),
        admitted.runGate());
    excludedByRetention = minimizedRows.excludedByRetention();
    specialWithheld = minimizedRows.specialWithheld();
    MinimizationRules.Outcome minimized = minimizedRows.outcome();
    end(Stage.MINIMIZE);

    begin(Stage.PSEUDONYMIZE);
    // From here on the raw identifier is gone: later stages see pseudonyms and the kept
    // fields only, and only the categories that the processed rows hold.
    Rows rows = plan.pseudonymize().run(minimized, options.listener(),
        () -> checkCancelled(Stage.PSEUDONYMIZE));
    end(Stage.PSEUDONYMIZE);

    ProcessingRecord.AnonymizationEntry anonymization = null;
    Dataset original = null; // the released rows' original values, only to measure the impact
    if (plan.anonymize().isPresent()) {
      begin(Stage.ANONYMIZE);
      AnonymizeStage.Anonymized anonymized = plan.anonymize().get().run(rows,
          plan.measureImpact());
      anonymization = anonymized.entry();
      anonymizationGuarantees = anonymized.guarantees();
      microdata = anonymized.microdata();
      original = anonymized.original();
      rows = anonymized.rows();
      end(Stage.ANONYMIZE);
    }
    Dataset features = rows.features();

    begin(Stage.SEGMENT);
    SegmentStage.Segmented segmented = plan.segment().run(features, minimized.used(),
        original, options.listener(), () -> checkCancelled(Stage.SEGMENT));
    SegmentationResult result = segmented.result();
    FeatureMatrix matrix = segmented.matrix();
    double silhouette = segmented.silhouette();
    double stability = segmented.stability();
    if (segmented.impact() != null) {
      anonymization = anonymization.withSegmentationImpact(segmented.impact());
    }
    end(Stage.SEGMENT);

    begin(Stage.RELEASE);
    ReleaseStage.Released released = plan.release().run(rows, result);
    Assignments assignments = released.assignments();
    Profiles profiles = released.profiles();
    end(Stage.RELEASE);

    begin(Stage.REPORT);
    ProcessingRecord record = record(excluded, minimized.dataset().rowCount(), minimized,
        anonymization, matrix, result, silhouette, stability, profiles);
    end(Stage.REPORT);
    return new SegmentationRun(assignments, profiles, record,
        java.util.Optional.ofNullable(microdata));
  }

  private void checkSubjectField() {
    if (!input.schema().contains(plan.subjectField())) {
      throw new ConfigurationException("pseudonymized field '" + plan.subjectField()
          + "' is not in the input schema " + input.schema().names());
    }
    Field f = input.schema().field(plan.subjectField());
    if (f.type() != FieldType.IDENTIFIER || f.role() != PrivacyRole.DIRECT_IDENTIFIER) {
      throw new ConfigurationException("pseudonymized field '" + plan.subjectField()
          + "' must be an IDENTIFIER with role DIRECT_IDENTIFIER but is " + f.type() + "/"
          + f.role());
    }
  }

  private ProcessingRecord record(Map<BasisDecision, Long> excluded, int processed,
      MinimizationRules.Outcome minimized, ProcessingRecord.AnonymizationEntry anonymization,
      FeatureMatrix matrix, SegmentationResult result,
      double silhouette, double stability, Profiles profiles) {
    Map<String, Long> rejected = new LinkedHashMap<>();
    input.readReport().rejected().forEach((k, v) -> rejected.put(k.name(), v));
    Map<String, Long> excludedByGate = new LinkedHashMap<>();
    excluded.forEach((k, v) -> excludedByGate.put(k.name(), v));
    List<Integer> sizes = new ArrayList<>();
    for (int s : result.sizes()) {
      sizes.add(s);
    }
    ProcessingRecord.Counts counts = new ProcessingRecord.Counts(input.rowCount(), rejected,
        excludedByGate, excludedByRetention, processed, specialWithheld);
    ProcessingRecord.Fields fields = new ProcessingRecord.Fields(minimized.used(),
        minimized.dropped(), minimized.coarsened(), matrix.cols(),
        plan.minimization().specialCategories(), plan.minimization().retention()
            .map(r -> r.description() + ", on or after " + r.cutoff(options.at()))
            .orElse(null));
    ProcessingRecord.SegmentationEntry seg = new ProcessingRecord.SegmentationEntry(
        plan.segmenter().algorithm(), plan.segmenter().parameters(), result.segments(), sizes,
        result.inertia(), silhouette, Math.min(plan.silhouetteSample(), matrix.rows()),
        result.iterations(), result.converged(),
        Double.isNaN(stability) ? null : stability, plan.stabilityRuns(), result.details());
    ProcessingRecord.ReleaseEntry rel = new ProcessingRecord.ReleaseEntry(result.labels().length,
        profiles.minSegmentSize(), profiles.released().size(),
        profiles.suppressedSegments().size(), plan.releasePolicy().mechanism().description(),
        releasePrivacy());
    return new ProcessingRecord(ProcessingRecord.FORMAT, UUID.randomUUID().toString(),
        startedAt.toString(), options.at().toString(),
        new ProcessingRecord.PurposeEntry(plan.purpose().id().value(), plan.purpose().description(),
            plan.purpose().requiredBasis().name()),
        plan.gate().description(), counts, fields,
        new ProcessingRecord.Pseudonymization(plan.subjectField(), plan.pseudonymizer().method(),
            plan.pseudonymizer().keyId()),
        anonymization, seg, rel, guarantees(), stageMillis);
  }

  /**
   * The differential-privacy loss of the profiles, derived from the steps they depend on: the
   * profile mechanism's own, plus the segmenter's when the labels come from private parameters
   * (basic composition). Empty when the profiles are not differentially private.
   */
  private java.util.Optional<PrivacyLoss> profilesLoss() {
    java.util.Optional<PrivacyLoss> own = plan.releasePolicy().mechanism().privacyLoss();
    if (own.isEmpty()) {
      return own;
    }
    // build() refused every segmenter whose labels would break the profiles' guarantee.
    return java.util.Optional.of(plan.segmenter().privacyLoss().map(s -> s.plus(own.get()))
        .orElse(own.get()));
  }

  /** The mechanism's privacy parameters, and the profiles' composed (ε, δ) when DP. */
  private Map<String, String> releasePrivacy() {
    Map<String, String> privacy = new LinkedHashMap<>(plan.releasePolicy().mechanism().privacy());
    profilesLoss().ifPresent(loss -> {
      privacy.put("profilesEpsilon", loss.epsilon());
      privacy.put("profilesDelta", loss.delta());
    });
    return privacy;
  }

  private List<String> guarantees() {
    List<String> all = new ArrayList<>(List.of(
        "purpose limitation: every row was processed for purpose '" + plan.purpose().id()
            + "' only",
        "lawful basis: only subjects the gate allowed at " + options.at()
            + " reached segmentation or any output; no later stage saw a category held only "
            + "by subjects it excluded",
        "data minimisation: only the fields listed as used reached segmentation",
        "storage limitation: " + plan.minimization().retention()
            .map(r -> "only rows with " + r.field() + " on or after " + r.cutoff(options.at())
                + " were processed")
            .orElse("no retention limit was set for this purpose"),
        "pseudonymization: no raw value of '" + plan.subjectField() + "' appears in any output; "
            + "assignments are keyed by " + plan.pseudonymizer().method() + " pseudonyms",
        "assignments: personal data (GDPR Recital 26): pseudonymous, not anonymous; for the "
            + "controller, who can re-link them with its key, never for release",
        "release: " + releaseGuarantee(),
        "record: its counts, segment sizes and quality figures are exact; it is for the "
            + "controller and its data-protection officer, not for release",
        "special categories (GDPR Art. 9): " + (plan.minimization().specialCategories().isEmpty()
            ? "none used"
            : plan.minimization().specialCategories() + " used only for subjects with explicit "
                + "consent; withheld for " + specialWithheld)));
    for (String g : anonymizationGuarantees) {
      all.add("anonymization: " + g);
    }
    return all;
  }

  /** What holds for the profiles, derived from the mechanism and the stages before it. */
  private String releaseGuarantee() {
    ProfileMechanism mechanism = plan.releasePolicy().mechanism();
    java.util.Optional<PrivacyLoss> loss = profilesLoss();
    if (loss.isPresent()) {
      PrivacyLoss l = loss.get();
      PrivacyLoss own = mechanism.privacyLoss().orElseThrow();
      String steps = plan.segmenter().privacyLoss()
          .map(s -> plan.segmenter().algorithm() + " (epsilon " + s.epsilon() + ", delta "
              + s.delta() + ") and the profiles (epsilon " + own.epsilon() + ", delta "
              + own.delta() + ")")
          .orElse("the profiles alone; segments come from rules over declared values");
      return "the profiles are (epsilon " + l.epsilon() + ", delta " + l.delta() + ")-"
          + "differentially private (" + mechanism.privacy().getOrDefault("model",
              "differential privacy") + "), composed of " + steps + "; which segments are "
          + "shown was decided on noisy sizes of at least " + plan.releasePolicy().minSegmentSize()
          + ", so a shown segment may hold a few subjects fewer";
    }
    String exact = "no segment profile describes fewer than "
        + plan.releasePolicy().minSegmentSize()
        + " subjects";
    if (mechanism == ProfileMechanism.exact()) {
      return exact + ", nor does any figure within one (rarer categories are pooled as "
          + "'(other)'); the figures are exact, not differentially private";
    }
    return exact + "; profiles computed by " + mechanism.description();
  }

  private long stageStart;

  private void begin(Stage stage) {
    checkCancelled(stage);
    stageStart = System.nanoTime();
    options.listener().stageStarted(stage);
  }

  private void end(Stage stage) {
    long nanos = System.nanoTime() - stageStart;
    stageMillis.put(stage.name(), nanos / 1_000_000);
    options.listener().stageFinished(stage, java.time.Duration.ofNanos(nanos));
    LOG.debug("stage {} took {} ms", stage, nanos / 1_000_000);
  }

  private void checkCancelled(Stage stage) {
    if (options.cancellation().isCancelled()) {
      throw new RunCancelledException(stage);
    }
  }
}
