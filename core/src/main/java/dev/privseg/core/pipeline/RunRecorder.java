package dev.privseg.core.pipeline;

import dev.privseg.core.gate.BasisDecision;
import dev.privseg.core.minimize.MinimizationRules;
import dev.privseg.core.release.PrivacyLoss;
import dev.privseg.core.release.ProfileMechanism;
import dev.privseg.core.release.Profiles;
import dev.privseg.core.report.ProcessingRecord;
import dev.privseg.core.segment.SegmentationResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The processing record of one run, written stage by stage: each stage writes its own entry
 * (counts, fields, methods, measures) as it finishes, and {@link #build} derives the guarantees
 * from the entries and the plan. Every executor of a {@link RunPlan} writes through one, obtained
 * from {@link RunPlan#recorder}, so every executor's record has the same form and states the same
 * guarantees for the same plan. Entries hold counts, field names, descriptions and measures,
 * never personal data. One per run; not thread-safe.
 */
public final class RunRecorder {
  private final RunPlan plan;
  private final Instant at;
  private final Instant startedAt = Instant.now();
  private final Map<String, Long> stageMillis = new LinkedHashMap<>();
  private long inputRows;
  private Map<String, Long> rejectedAtRead = Map.of();
  private Map<String, Long> excludedByGate = Map.of();
  private Map<String, Long> excludedByRetention = Map.of();
  private long processed;
  private long specialWithheld;
  private List<String> used;
  private List<String> dropped;
  private Map<String, String> coarsened;
  private ProcessingRecord.Pseudonymization pseudonymization;
  private ProcessingRecord.AnonymizationEntry anonymization;
  private List<String> anonymizationGuarantees = List.of();
  private int features;
  private ProcessingRecord.SegmentationEntry segmentation;
  private ProcessingRecord.ReleaseEntry release;

  /** A recorder for a run of {@code plan} deciding lawful bases at {@code at}. */
  RunRecorder(RunPlan plan, Instant at) {
    this.plan = plan;
    this.at = at;
  }

  /**
   * The read's entry.
   *
   * @param rows the rows in the input
   * @param rejected rows rejected while reading, by reason
   */
  public void read(long rows, Map<String, Long> rejected) {
    this.inputRows = rows;
    this.rejectedAtRead = Map.copyOf(rejected);
  }

  /**
   * The lawful-basis stage's entry.
   *
   * @param excluded rows excluded, by decision (only decisions that occurred)
   */
  public void lawfulBasis(Map<BasisDecision, Long> excluded) {
    Map<String, Long> out = new LinkedHashMap<>();
    excluded.forEach((k, v) -> out.put(k.name(), v));
    this.excludedByGate = out;
  }

  /**
   * The minimize stage: the fields kept, dropped and coarsened, rows past the retention limit by
   * reason, and rows whose special-category values were withheld.
   */
  void minimization(MinimizationRules.Outcome outcome, Map<String, Long> retention,
      long withheld) {
    minimization(outcome.used(), outcome.dropped(), outcome.coarsened(),
        outcome.dataset().rowCount(), retention, withheld);
  }

  /**
   * The minimize stage's entry.
   *
   * @param used the fields kept for the purpose, in order
   * @param dropped the input's fields that were dropped
   * @param coarsened the description of the rule per coarsened field
   * @param rows the rows that went on to the next stage (processed)
   * @param retention rows excluded by the retention limit, by reason
   * @param withheld rows whose special-category values were withheld (no explicit consent)
   */
  public void minimization(List<String> used, List<String> dropped,
      Map<String, String> coarsened, long rows, Map<String, Long> retention, long withheld) {
    this.used = List.copyOf(used);
    this.dropped = List.copyOf(dropped);
    this.coarsened = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(coarsened));
    this.processed = rows;
    this.excludedByRetention = java.util.Collections.unmodifiableMap(
        new LinkedHashMap<>(retention));
    this.specialWithheld = withheld;
  }

  /**
   * The pseudonymize stage's entry.
   *
   * @param field the field replaced by pseudonyms
   * @param method the pseudonymizer's description
   * @param keyId the key's id (never the key)
   */
  public void pseudonymization(String field, String method, String keyId) {
    this.pseudonymization = new ProcessingRecord.Pseudonymization(field, method, keyId);
  }

  /**
   * The anonymize stage's entry; the record adds that released microdata holds only
   * {@code coveredFields}.
   *
   * @param entry what the anonymizer did and measured
   * @param guarantees what holds for the released rows, one sentence each
   * @param coveredFields the fields the guarantees cover (as {@code AnonymizedData} names them)
   */
  public void anonymization(ProcessingRecord.AnonymizationEntry entry, List<String> guarantees,
      List<String> coveredFields) {
    List<String> all = new ArrayList<>(guarantees);
    all.add("microdata: holds only the fields the anonymization covers " + coveredFields
        + "; the other kept fields are left out, as their values could single a person out");
    this.anonymization = entry;
    this.anonymizationGuarantees = List.copyOf(all);
  }

  /**
   * The segment stage's entry.
   *
   * @param result the segments the segmenter found
   * @param columns the number of encoded features it was fitted on
   * @param silhouette the silhouette on a sample of rows
   * @param silhouetteRows the rows in that sample
   * @param stability the mean adjusted Rand index of refits with other seeds (NaN: not measured)
   * @param impact how far anonymization moved the segments (null: not measured); needs the
   *     anonymize stage's entry first
   */
  public void segmentation(SegmentationResult result, int columns, double silhouette,
      int silhouetteRows, double stability, Map<String, Object> impact) {
    List<Integer> sizes = new ArrayList<>();
    for (int s : result.sizes()) {
      sizes.add(s);
    }
    this.features = columns;
    this.segmentation = new ProcessingRecord.SegmentationEntry(plan.segmenter().description(),
        plan.segmenter().parameters(), result.segments(), sizes, result.inertia(), silhouette,
        silhouetteRows, result.iterations(), result.converged(),
        Double.isNaN(stability) ? null : stability, plan.stabilityRuns(), result.details());
    impact(impact);
  }

  /** Adds the anonymization's impact, if measured, to the anonymize stage's entry. */
  private void impact(Map<String, Object> impact) {
    if (impact != null) {
      if (anonymization == null) {
        throw new IllegalStateException("the anonymization impact was measured before the "
            + "anonymize stage wrote its entry");
      }
      this.anonymization = anonymization.withSegmentationImpact(impact);
    }
  }

  /**
   * The segment stage's entry, for an executor that holds the rows' segments elsewhere (so has
   * no {@link SegmentationResult} of every row).
   *
   * @param fit the fit: the segments' sizes, inertia, iterations, convergence and details
   * @param columns the number of encoded features it was fitted on
   * @param silhouette the silhouette on a sample of rows
   * @param silhouetteRows the rows in that sample
   * @param stability the mean adjusted Rand index of refits with other seeds (NaN: not measured)
   * @param impact how far anonymization moved the segments (null: not measured; see
   *     {@link AnonymizationImpact}); needs the anonymize stage's entry first
   */
  public void segmentation(dev.privseg.core.segment.kmeans.ChunkedFit fit, int columns,
      double silhouette, int silhouetteRows, double stability, Map<String, Object> impact) {
    List<Integer> out = new ArrayList<>();
    for (long s : fit.sizes()) {
      out.add(Math.toIntExact(s));
    }
    this.features = columns;
    this.segmentation = new ProcessingRecord.SegmentationEntry(plan.segmenter().description(),
        plan.segmenter().parameters(), fit.segments(), out, fit.inertia(), silhouette,
        silhouetteRows, fit.iterations(), fit.converged(),
        Double.isNaN(stability) ? null : stability, plan.stabilityRuns(), fit.details());
    impact(impact);
  }

  /**
   * The release stage's entry.
   *
   * @param assignments the rows assigned a segment
   * @param profiles the profiles released and the segments suppressed
   */
  public void release(int assignments, Profiles profiles) {
    this.release = new ProcessingRecord.ReleaseEntry(assignments, profiles.minSegmentSize(),
        profiles.released().size(), profiles.suppressedSegments().size(),
        plan.releasePolicy().mechanism().description(), releasePrivacy());
  }

  /** How long {@code stage} took (its last entry wins). */
  public void stageTime(Stage stage, Duration took) {
    stageMillis.put(stage.name(), took.toMillis());
  }

  /**
   * The record, with the guarantees derived from the plan and the entries written.
   *
   * @throws IllegalStateException if a stage that ran has not written its entry
   */
  public ProcessingRecord build() {
    if (used == null || pseudonymization == null || segmentation == null || release == null
        || plan.anonymizer().isPresent() && anonymization == null) {
      throw new IllegalStateException("a stage did not write its entry of the record");
    }
    ProcessingRecord.Counts counts = new ProcessingRecord.Counts(inputRows, rejectedAtRead,
        excludedByGate, excludedByRetention, processed, specialWithheld);
    ProcessingRecord.Fields fields = new ProcessingRecord.Fields(used, dropped,
        coarsened, features,
        plan.minimization().specialCategories(), plan.minimization().retention()
            .map(r -> r.description() + ", on or after " + r.cutoff(at))
            .orElse(null));
    return new ProcessingRecord(ProcessingRecord.FORMAT, UUID.randomUUID().toString(),
        startedAt.toString(), at.toString(),
        new ProcessingRecord.PurposeEntry(plan.purpose().id().value(),
            plan.purpose().description(), plan.purpose().requiredBasis().name()),
        plan.gate().description(), counts, fields, pseudonymization, anonymization,
        segmentation, release, guarantees(), stageMillis);
  }

  /**
   * The differential-privacy loss of the profiles, derived from the steps they depend on: the
   * profile mechanism's own, plus the segmenter's when the labels come from private parameters
   * (basic composition). Empty when the profiles are not differentially private.
   */
  private Optional<PrivacyLoss> profilesLoss() {
    Optional<PrivacyLoss> own = plan.releasePolicy().mechanism().privacyLoss();
    if (own.isEmpty()) {
      return own;
    }
    // build() refused every segmenter whose labels would break the profiles' guarantee.
    return Optional.of(plan.segmenter().privacyLoss().map(s -> s.plus(own.get()))
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
        "lawful basis: only subjects the gate allowed at " + at
            + " reached segmentation or any output; no later stage saw a category held only "
            + "by subjects it excluded",
        "data minimisation: only the fields listed as used reached segmentation",
        "storage limitation: " + plan.minimization().retention()
            .map(r -> "only rows with " + r.field() + " on or after " + r.cutoff(at)
                + " were processed")
            .orElse("no retention limit was set for this purpose"),
        "pseudonymization: no raw value of '" + plan.subjectField() + "' appears in any output; "
            + "assignments are keyed by " + plan.pseudonymizer().description() + " pseudonyms",
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
    Optional<PrivacyLoss> loss = profilesLoss();
    if (loss.isPresent()) {
      PrivacyLoss l = loss.get();
      PrivacyLoss own = mechanism.privacyLoss().orElseThrow();
      String steps = plan.segmenter().privacyLoss()
          .map(s -> plan.segmenter().description() + " (epsilon " + s.epsilon() + ", delta "
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
}
