package dev.privseg.core.pipeline;

import dev.privseg.core.Purpose;
import dev.privseg.core.anonymize.Anonymizer;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.minimize.MinimizationRules;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.release.ReleasePolicy;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.Segmenter;
import java.time.Instant;
import java.util.Optional;

/**
 * What a {@link SegmentationPipeline} does on every run, as {@link SegmentationBuilder#build}
 * checked it: the purpose, the lawful-basis gate, the minimization rules, the pseudonymizer, the
 * optional anonymizer, the segmenter and the release policy. Immutable and thread-safe; obtained
 * from {@link SegmentationPipeline#plan()}.
 *
 * <p>The seam for executors other than the local one: an executor carries out the plan's
 * {@link Stage stages} in order, on its own representation of the data, and writes each stage's
 * entry of the processing record into a {@link RunRecorder} from {@link #recorder}, so that
 * every executor's record has the same form and states the same guarantees for the same plan.
 * An executor must refuse, with a {@link dev.privseg.core.ConfigurationException}, any part of a
 * plan it cannot carry out with the same guarantee.
 */
public final class RunPlan {
  private final Purpose purpose;
  private final Schema schema;
  private final LawfulBasisGate gate;
  private final MinimizationRules minimization;
  private final String subjectField;
  private final Pseudonymizer pseudonymizer;
  private final Anonymizer anonymizer;
  private final boolean measureImpact;
  private final Segmenter segmenter;
  private final ReleasePolicy releasePolicy;
  private final int silhouetteSample;
  private final long silhouetteSeed;
  private final int stabilityRuns;

  private RunPlan(SegmentationBuilder b) {
    this.purpose = b.purpose;
    this.schema = b.schema;
    this.gate = b.gate;
    this.minimization = b.minimization;
    this.subjectField = b.subjectField;
    this.pseudonymizer = b.pseudonymizer;
    this.anonymizer = b.anonymizer;
    this.measureImpact = b.measureAnonymizationImpact;
    this.segmenter = b.segmenter;
    this.releasePolicy = b.release;
    this.silhouetteSample = b.silhouetteSample;
    this.silhouetteSeed = b.silhouetteSeed;
    this.stabilityRuns = b.stabilityRuns;
  }

  /** The plan of the pipeline {@code b} configures (checked by its {@code build()}). */
  static RunPlan of(SegmentationBuilder b) {
    return new RunPlan(b);
  }

  /** The purpose every run is bound to. */
  public Purpose purpose() {
    return purpose;
  }

  /** The schema every input must have, if one was bound. */
  public Optional<Schema> schema() {
    return Optional.ofNullable(schema);
  }

  /** The lawful-basis gate: only subjects it allows reach a later stage. */
  public LawfulBasisGate gate() {
    return gate;
  }

  /** The minimization rules: retention, kept fields, coarsening, Art. 9 withholding. */
  public MinimizationRules minimization() {
    return minimization;
  }

  /** The field holding the subject identifier, replaced by a pseudonym. */
  public String subjectField() {
    return subjectField;
  }

  /** The pseudonymizer of the subject field. */
  public Pseudonymizer pseudonymizer() {
    return pseudonymizer;
  }

  /** The anonymizer of the quasi-identifiers, if one is configured. */
  public Optional<Anonymizer> anonymizer() {
    return Optional.ofNullable(anonymizer);
  }

  /**
   * Whether the anonymize stage keeps the released rows' original values to measure how far
   * anonymization moved the segments.
   */
  public boolean measuresAnonymizationImpact() {
    return measureImpact;
  }

  /** The segmenter. */
  public Segmenter segmenter() {
    return segmenter;
  }

  /** How the assignments and profiles are released. */
  public ReleasePolicy releasePolicy() {
    return releasePolicy;
  }

  /** The rows sampled for the silhouette (at most). */
  public int silhouetteSample() {
    return silhouetteSample;
  }

  /** The seed of the silhouette sample. */
  public long silhouetteSeed() {
    return silhouetteSeed;
  }

  /** The refits with other seeds that measure stability (0: not measured). */
  public int stabilityRuns() {
    return stabilityRuns;
  }

  /**
   * The seed of stability refit {@code run} (from 1 to {@link #stabilityRuns()}): seeds spread by
   * the golden-ratio constant, distinct and unlikely to be the host's; the same on every engine.
   */
  public static long stabilitySeed(int run) {
    return 0x9E3779B97F4A7C15L * run;
  }

  /**
   * A recorder for one run of this plan deciding lawful bases at {@code at}: the run's stages
   * write their entries into it, and {@link RunRecorder#build} makes the record.
   */
  public RunRecorder recorder(Instant at) {
    return new RunRecorder(this, dev.privseg.core.Checks.notNull(at, "at"));
  }

  @Override
  public String toString() {
    return "RunPlan[purpose=" + purpose.id() + ", " + segmenter.description() + "]";
  }
}
