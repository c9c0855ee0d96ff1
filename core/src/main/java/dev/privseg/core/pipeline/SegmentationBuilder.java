package dev.privseg.core.pipeline;

import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.Purpose;
import dev.privseg.core.anonymize.Anonymizer;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.internal.Parallel;
import dev.privseg.core.minimize.Minimization;
import dev.privseg.core.minimize.MinimizationRules;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.release.ReleasePolicy;
import dev.privseg.core.segment.LabelDependence;
import dev.privseg.core.segment.SavedSegments;
import dev.privseg.core.segment.SegmentModel;
import dev.privseg.core.segment.Segmenter;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Composes a {@link SegmentationPipeline}. Every setter checks its argument at once and may be
 * called once; {@link #build()} checks that every mandatory stage is configured (a lawful-basis
 * gate, minimization rules, the pseudonymizer of the subject identifier and a segmenter), that
 * the stages fit together, and, with a bound {@link #schema schema}, every field they name. Not
 * thread-safe; the pipeline it builds is.
 */
public final class SegmentationBuilder {
  final Purpose purpose;
  LawfulBasisGate gate;
  MinimizationRules minimization;
  String subjectField;
  Pseudonymizer pseudonymizer;
  Anonymizer anonymizer;
  boolean measureAnonymizationImpact;
  Segmenter segmenter;
  Schema schema;
  ReleasePolicy release = ReleasePolicy.defaults();
  Executor executor = Parallel.defaultExecutor();
  int parallelism = Runtime.getRuntime().availableProcessors();
  int silhouetteSample = 2_000;
  int stabilityRuns;
  long silhouetteSeed = 1;

  /** The options set so far: each may be set once. */
  private final java.util.Set<String> set = new java.util.HashSet<>();

  private SegmentationBuilder(Purpose purpose) {
    this.purpose = purpose;
  }

  /**
   * Refuses a second call of {@code option}: a later call silently replacing an earlier one hid
   * mistakes (two gates, two segmenters), so each stage is set once.
   */
  private void once(String option) {
    if (!set.add(option)) {
      throw new ConfigurationException(option + "(...) is already set on this builder: each "
          + "option is set once; start another builder for another configuration");
    }
  }

  /** Starts a builder bound to {@code purpose}. Use {@code Segmentation.forPurpose}. */
  public static SegmentationBuilder forPurpose(Purpose purpose) {
    return new SegmentationBuilder(Checks.notNull(purpose, "purpose"));
  }

  /**
   * Binds the schema of the inputs this pipeline runs on, so that {@link #build()} checks before
   * any data arrives everything that depends only on it: the subject field's type and role, and
   * every kept, coarsened, special-category and retention field, with the messages a run would
   * give. A run then refuses an input of another schema, naming the fields that differ. Optional:
   * without it, these checks are made when a run starts.
   */
  public SegmentationBuilder schema(Schema schema) {
    once("schema");
    this.schema = Checks.notNull(schema, "schema");
    return this;
  }

  /** The gate that decides which subjects may be processed for the purpose. Mandatory. */
  public SegmentationBuilder lawfulBasis(LawfulBasisGate gate) {
    once("lawfulBasis");
    this.gate = Checks.notNull(gate, "lawful basis gate");
    return this;
  }

  /** The minimization rules, written against a fresh {@link Minimization}. Mandatory. */
  public SegmentationBuilder minimize(Consumer<Minimization> rules) {
    once("minimize");
    Checks.notNull(rules, "minimization rules");
    Minimization m = new Minimization();
    rules.accept(m);
    this.minimization = m.rules();
    return this;
  }

  /** Frozen minimization rules. Mandatory (this or {@link #minimize(Consumer)}). */
  public SegmentationBuilder minimize(MinimizationRules rules) {
    once("minimize");
    this.minimization = Checks.notNull(rules, "minimization rules");
    return this;
  }

  /**
   * Pseudonymizes the subject identifier {@code field} (an IDENTIFIER / DIRECT_IDENTIFIER field)
   * with {@code pseudonymizer}. The lawful-basis gate reads the raw identifier; after this stage
   * only the pseudonym remains. Mandatory.
   */
  public SegmentationBuilder pseudonymize(String field, Pseudonymizer pseudonymizer) {
    once("pseudonymize");
    this.subjectField = Checks.notBlank(field, "pseudonymized field");
    this.pseudonymizer = Checks.notNull(pseudonymizer, "pseudonymizer");
    return this;
  }

  /**
   * Protects the quasi-identifiers of the kept fields before segmentation, e.g.
   * {@code Anonymize.generalization(a -> a.hierarchy(age).kAnonymity(10))} from the
   * {@code privseg-anonymization} module. Rows the anonymizer suppresses are neither segmented,
   * assigned nor profiled. Optional.
   */
  public SegmentationBuilder anonymize(Anonymizer anonymizer) {
    once("anonymize");
    this.anonymizer = Checks.notNull(anonymizer, "anonymizer");
    return this;
  }

  /**
   * Also segments the released rows from their original (not anonymized) values and records how
   * far the two segmentations agree: the adjusted Rand index (1 = the same segments) and the
   * centroid shift (mean distance, in standardized original features, from each segment's centre
   * to the nearest centre of the original segmentation). Costs one more fit (which a
   * differentially private segmenter pays from its budget); needs {@link #anonymize}. The
   * original-value segments are only compared, never output.
   */
  public SegmentationBuilder measureAnonymizationImpact() {
    once("measureAnonymizationImpact");
    this.measureAnonymizationImpact = true;
    return this;
  }

  /** The segmentation algorithm, e.g. {@code KMeans.clusters(6).seed(42)}. Mandatory. */
  public SegmentationBuilder segmentWith(Segmenter segmenter) {
    once("segmentWith");
    this.segmenter = Checks.notNull(segmenter, "segmenter");
    return this;
  }

  /**
   * Incremental assignment: instead of fitting segments, assigns each row to the segments a
   * run saved ({@code SegmentationRun.model()}, or the consent database's registry), with
   * {@link SavedSegments}, and records the run as an incremental assignment of that run. The
   * other stages apply as in any run: rows without a lawful basis now are left out, fields are
   * minimized and pseudonymized as configured, and if the run anonymized its rows, the
   * {@link #anonymize} stage (required then, with the run's configuration) applies the run's
   * saved scheme instead of searching and checks its privacy models on these rows, failing the
   * run if they break them. Instead of {@link #segmentWith}.
   *
   * @throws ConfigurationException if {@link #segmentWith} is set already
   */
  public SegmentationBuilder assignTo(SegmentModel model) {
    Checks.notNull(model, "model");
    if (set.contains("segmentWith")) {
      throw new ConfigurationException("assignTo(...) assigns to saved segments instead of "
          + "fitting them with segmentWith(...): set one of the two");
    }
    once("segmentWith");
    this.segmenter = SavedSegments.of(model);
    return this;
  }

  /** How profiles are released; default: segments below 10 members are suppressed. */
  public SegmentationBuilder releaseProfiles(Consumer<ReleasePolicy.Builder> policy) {
    once("releaseProfiles");
    Checks.notNull(policy, "release policy");
    ReleasePolicy.Builder b = new ReleasePolicy.Builder();
    policy.accept(b);
    this.release = b.build();
    return this;
  }

  /** The executor for parallel work; default: a shared pool of daemon threads, one per core. */
  public SegmentationBuilder executor(Executor executor, int parallelism) {
    once("executor");
    this.executor = Checks.notNull(executor, "executor");
    this.parallelism = Checks.atLeast(parallelism, 1, "parallelism");
    return this;
  }

  /** Rows sampled for the silhouette (default 2,000; cost grows with its square) and the seed. */
  public SegmentationBuilder silhouetteSample(int rows, long seed) {
    once("silhouetteSample");
    this.silhouetteSample = Checks.atLeast(rows, 2, "silhouette sample");
    this.silhouetteSeed = seed;
    return this;
  }

  /**
   * Measures stability: refits the segmenter with {@code runs} other seeds and records the mean
   * adjusted Rand index against the run's segments (1 = the same segments every time). Costs
   * {@code runs} extra fits (which a differentially private segmenter pays from its budget);
   * default 0 (not measured). {@link #build()} refuses it for a segmenter without a seed (rules,
   * RFM), whose segments cannot vary.
   */
  public SegmentationBuilder stability(int runs) {
    once("stability");
    this.stabilityRuns = Checks.atLeast(runs, 0, "stability runs");
    return this;
  }

  /**
   * Differentially private profiles compose over segments in parallel only if adding or removing
   * one subject changes no other subject's label and no other subject's released row; refuses
   * every configuration under which that fails, saying what to use instead.
   */
  private void checkDifferentialPrivacyHolds() {
    LabelDependence labels = segmenter.labelDependence();
    if (labels == LabelDependence.ALL_ROWS) {
      throw new ConfigurationException("differentially private profiles need segments in which "
          + "each row's label depends only on that row and on declared or differentially "
          + "private parameters, but " + segmenter.description() + " labels each row from every "
          + "row's values, so one person can move other people between segments and the "
          + "profiles would not be differentially private; segment with DP k-means (DpKMeans) "
          + "or with rule segments over declared values, or release exact profiles");
    }
    if (labels == LabelDependence.ROW_AND_DP_PARAMETERS && segmenter.privacyLoss().isEmpty()) {
      throw new ConfigurationException(segmenter.description() + " says its labels depend on "
          + "differentially private parameters but states no privacy loss for them");
    }
    if (anonymizer != null) {
      throw new ConfigurationException("differentially private profiles cannot follow an "
          + "anonymize stage: generalization, suppression and microaggregation are decided on "
          + "all rows, so one person can change many released rows and the profiles would not "
          + "be differentially private; drop anonymize(...) (the noise protects the profiles) "
          + "or release exact profiles after it");
    }
  }

  /**
   * Checks that a run assigning to {@code model} processes for the model's purpose, keeps its
   * features, and transforms rows as the model's run did; binds the anonymizer to the run's
   * saved scheme.
   */
  private void checkAssignment(SegmentModel model) {
    Checks.check(model.purpose().equals(purpose.id().value()), "run %s made its segments for "
        + "purpose '%s', so rows processed for purpose '%s' cannot be assigned to them",
        model.run(), model.purpose(), purpose.id());
    for (String field : model.fields()) {
      Checks.check(minimization.keep().contains(field), "field '%s' is a feature of run %s's "
          + "segments but is not kept; keep it in the minimize stage", field, model.run());
    }
    Checks.check(!measureAnonymizationImpact, "measureAnonymizationImpact() compares "
        + "segments fitted to the original values with the run's, but an assignment to run "
        + "%s's segments fits none: drop it (the run that made the segments measured its own)",
        model.run());
    if (model.anonymized()) {
      Checks.check(anonymizer != null, "run %s anonymized its rows before segmenting them: "
          + "configure the same anonymize(...) stage, which applies the run's saved scheme and "
          + "checks its privacy models on the new rows", model.run());
      anonymizer = anonymizer.applyingSavedScheme(model.anonymizationScheme());
    } else {
      Checks.check(anonymizer == null, "run %s segmented rows that were not anonymized, so "
          + "anonymized rows cannot be placed among its segments; drop anonymize(...)",
          model.run());
    }
  }

  /** Checks that every mandatory stage is configured and builds the immutable pipeline. */
  public SegmentationPipeline build() {
    Checks.check(gate != null, "lawfulBasis(...) is required: no subject may be processed "
        + "without a lawful basis for purpose '%s'", purpose.id());
    Checks.check(minimization != null,
        "minimize(...) is required: name the fields purpose '%s' needs", purpose.id());
    Checks.check(pseudonymizer != null,
        "pseudonymize(...) is required: name the subject identifier field and a pseudonymizer");
    Checks.check(segmenter != null, "segmentWith(...) is required");
    if (segmenter instanceof SavedSegments saved) {
      checkAssignment(saved.model());
    }
    Checks.check(stabilityRuns == 0 || segmenter.withSeed(1).isPresent(),
        "stability(%s) refits with other seeds, but %s has no seed to vary: its segments are "
            + "the same on every fit", stabilityRuns, segmenter.description());
    Checks.check(!measureAnonymizationImpact || anonymizer != null,
        "measureAnonymizationImpact() needs an anonymize(...) stage");
    Checks.check(!minimization.keep().contains(subjectField),
        "field '%s' is pseudonymized and cannot also be kept raw", subjectField);
    if (release.mechanism().privacyLoss().isPresent()) {
      checkDifferentialPrivacyHolds();
    }
    if (schema != null) {
      // The checks a run makes on its input's schema, made now on no rows of the bound schema.
      Dataset none = Dataset.builder(schema).build();
      PseudonymizeStage.checkSubjectField(schema, subjectField);
      minimization.retention().ifPresent(r -> r.select(none, java.time.Instant.EPOCH));
      minimization.apply(none, java.util.List.of(subjectField));
    }
    return new SegmentationPipeline(this);
  }
}
