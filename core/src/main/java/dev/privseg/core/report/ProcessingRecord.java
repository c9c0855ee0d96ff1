package dev.privseg.core.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.privseg.core.PrivsegException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The machine-readable record of one run (GDPR Art. 30 and Art. 5(2), accountability): what was
 * processed, for which purpose, on which basis, which fields, how many subjects were excluded and
 * why, how identifiers were pseudonymized, how segments were made and released, and which
 * guarantees hold. It holds counts, names and parameters only, never personal data, so it can be
 * handed to a data-protection officer.
 *
 * @param format the record format, {@value #FORMAT}
 * @param runId a random identifier of the run
 * @param startedAt when the run started (ISO-8601 UTC)
 * @param basisEvaluatedAt the instant at which lawful bases were evaluated (ISO-8601 UTC)
 * @param purpose the purpose and its lawful basis
 * @param lawfulBasisGate a description of the gate that decided
 * @param counts row counts through the stages
 * @param fields fields used, dropped and coarsened
 * @param pseudonymization how direct identifiers were replaced
 * @param anonymization how quasi-identifiers were protected ({@code null} when the pipeline has
 *     no anonymize stage)
 * @param segmentation algorithm, parameters and quality
 * @param release what was released
 * @param guarantees statements that hold for the outputs of this run
 * @param stageMillis wall-clock milliseconds per stage
 */
public record ProcessingRecord(String format, String runId, String startedAt,
    String basisEvaluatedAt, PurposeEntry purpose, String lawfulBasisGate, Counts counts,
    Fields fields, Pseudonymization pseudonymization, AnonymizationEntry anonymization,
    SegmentationEntry segmentation,
    ReleaseEntry release, List<String> guarantees, Map<String, Long> stageMillis) {

  /** The format identifier written into every record. */
  public static final String FORMAT = "privseg-processing-record/1";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  /** Copies the collections. */
  public ProcessingRecord {
    guarantees = List.copyOf(guarantees);
    stageMillis = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(stageMillis));
  }

  /** This record as indented JSON. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new PrivsegException("processing record could not be serialized", e);
    }
  }

  /** Writes this record as JSON to {@code file}: exactly {@link #toJson()}, in UTF-8. */
  public void writeJson(Path file) throws IOException {
    Files.writeString(file, toJson(), StandardCharsets.UTF_8);
  }

  /**
   * The SHA-256 of this record's JSON as {@link #writeJson} writes it, 64 lower-case
   * hexadecimal digits: what {@code sha256sum record.json} prints for the written file. A
   * consent database keeps it for each registered run, and a signed checkpoint seals it, so an
   * auditor can show that a record file is the one the run registered.
   */
  public String digest() {
    return digestOf(toJson());
  }

  /**
   * The SHA-256 of a record's JSON text, 64 lower-case hexadecimal digits: a record file's
   * digest, which {@link #digest()} gives for the record it writes.
   */
  public static String digestOf(String json) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(json.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Reads a record back from its JSON form. */
  public static ProcessingRecord fromJson(String json) {
    try {
      return JSON.readValue(json, ProcessingRecord.class);
    } catch (JsonProcessingException e) {
      throw new PrivsegException("not a processing record: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The purpose of the run.
   *
   * @param id purpose id
   * @param description plain-language description
   * @param lawfulBasis the lawful basis relied on (GDPR Art. 6(1))
   */
  public record PurposeEntry(String id, String description, String lawfulBasis) {}

  /**
   * Row counts through the stages.
   *
   * @param inputRows rows in the input dataset
   * @param rejectedAtRead rows the reader rejected, per reason
   * @param excludedByGate rows excluded for lack of a lawful basis, per reason
   * @param excludedByRetention rows the gate allowed but the retention limit excluded, per
   *     reason ({@code OLDER_THAN_LIMIT}, {@code NO_DATE}); empty without a limit
   * @param processedRows rows that passed the gate and the retention limit and were segmented
   * @param specialCategoryWithheld processed rows whose special-category values were withheld
   *     for lack of explicit consent (GDPR Art. 9(2)(a))
   */
  public record Counts(long inputRows, Map<String, Long> rejectedAtRead,
      Map<String, Long> excludedByGate, Map<String, Long> excludedByRetention,
      long processedRows, long specialCategoryWithheld) {}

  /**
   * Fields through minimization.
   *
   * @param used fields used for segmentation
   * @param dropped input fields that were dropped
   * @param coarsened coarsening rule per field
   * @param features number of numeric features after encoding
   * @param specialCategories used fields of GDPR Art. 9 special categories
   * @param retention the retention limit on rows, e.g. {@code "last_order within P3Y before the
   *     run, on or after 2023-11-30T00:00:00Z"}; null without one
   */
  public record Fields(List<String> used, List<String> dropped, Map<String, String> coarsened,
      int features, List<String> specialCategories, String retention) {}

  /**
   * How direct identifiers were pseudonymized.
   *
   * @param field the identifier field replaced by pseudonyms
   * @param method the method, e.g. HMAC-SHA256
   * @param keyId the non-secret key name
   */
  public record Pseudonymization(String field, String method, String keyId) {}

  /**
   * The anonymize stage.
   *
   * @param method the transformation, e.g. full-domain generalization
   * @param parameters the configured models, suppression limit and metric
   * @param rowsIn rows that reached the stage
   * @param rowsSuppressed rows suppressed: never segmented, assigned or profiled
   * @param summary what was achieved: k / l / t, the transformation chosen, information loss and
   *     re-identification risk before and after
   * @param segmentationImpact how much anonymization changed the segments: the adjusted Rand
   *     index between segments of the released rows made from their original and their anonymized
   *     values, and the centroid shift ({@code null} unless measured)
   */
  public record AnonymizationEntry(String method, Map<String, Object> parameters, int rowsIn,
      int rowsSuppressed, Map<String, Object> summary, Map<String, Object> segmentationImpact) {

    /** This entry with the segmentation impact set. */
    public AnonymizationEntry withSegmentationImpact(Map<String, Object> impact) {
      return new AnonymizationEntry(method, parameters, rowsIn, rowsSuppressed, summary, impact);
    }
  }

  /**
   * The segmentation.
   *
   * @param algorithm the algorithm
   * @param parameters its parameters
   * @param segments number of segments
   * @param segmentSizes members per segment
   * @param inertia sum of squared distances to centres (standardized features)
   * @param silhouette mean silhouette on a sample
   * @param silhouetteSample sample size for the silhouette
   * @param iterations iterations run (0 for rules and RFM, which assign in one pass)
   * @param converged whether the tolerance was met
   * @param stability mean adjusted Rand index of refits with other seeds ({@code null} when not
   *     measured)
   * @param stabilityRuns refits used for {@code stability}
   * @param details what the segmenter adds about its result: how k was chosen, segment names
   */
  public record SegmentationEntry(String algorithm, Map<String, Object> parameters, int segments,
      List<Integer> segmentSizes, double inertia, double silhouette, int silhouetteSample,
      int iterations, boolean converged, Double stability, int stabilityRuns,
      Map<String, Object> details) {}

  /**
   * What was released.
   *
   * @param assignments number of pseudonym-to-segment assignments
   * @param minSegmentSize the profile threshold
   * @param releasedProfiles number of segment profiles released
   * @param suppressedProfiles number of segment profiles suppressed
   * @param profileMechanism how profiles were computed (exact, or with which noise)
   * @param privacy privacy parameters the profiles spent (empty for exact profiles)
   */
  public record ReleaseEntry(int assignments, int minSegmentSize, int releasedProfiles,
      int suppressedProfiles, String profileMechanism, Map<String, String> privacy) {}
}
