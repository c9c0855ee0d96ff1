package dev.privseg.core.segment;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A run's segments, saved so that rows that were not in the run (new customers, customers who
 * consented since) can be assigned to them without a new fit: either the feature encoding the
 * run used and the centroids its segmenter found, or the rules it segmented by; and the
 * anonymization scheme its rows were released under. {@link SavedSegments} assigns each new row
 * to its nearest centroid in the run's feature space (k-means' own rule), or by the rules; a
 * pipeline built with {@code SegmentationBuilder.assignTo(model)} also applies the saved
 * anonymization scheme and re-checks its privacy models on the new rows.
 *
 * <p>A run makes one when its segmenter assigns rows to their nearest centroid
 * ({@link Segmenter#assignsNearestCentroid()}, k-means) or is rule segments;
 * {@code SegmentationRun.model()} gives it. It holds aggregates (means, scales, centroids),
 * category labels and rules, never a row or an identifier; the centroids are means of the run's
 * rows, so store the model with the care of the run's profiles before their release thresholds
 * (the consent database keeps it with the registered run).
 *
 * @param format the model format, {@value #FORMAT}
 * @param run the id of the run whose centroids these are
 * @param purpose the id of that run's purpose
 * @param segmenter the segmenter that found the centroids, as the run's record names it
 * @param segments the number of segments
 * @param segmentNames the segments' names, indexed by segment number; empty where segments are
 *     numbered only
 * @param encoding how the run turned fields into features; null for rules
 * @param centroids row-major {@code segments x features} centroids in the encoding's space;
 *     empty for rules
 * @param rules the rules, by segment name in order, the last segment being the default one
 *     (the last of {@code segmentNames}); empty for centroids
 * @param anonymizationScheme the saved scheme of the anonymizer the run's rows went through
 *     (that anonymizer's own JSON form), or the empty string for a run without an anonymize
 *     stage
 */
public record SegmentModel(String format, String run, String purpose, String segmenter,
    int segments, List<String> segmentNames, FeatureEncoding encoding, double[] centroids,
    java.util.Map<String, String> rules, String anonymizationScheme) {

  /** The format identifier written into every model. */
  public static final String FORMAT = "privseg-segment-model/1";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Checks that the parts agree and copies the arrays. */
  public SegmentModel {
    Checks.check(FORMAT.equals(format), "model format must be '%s' but was '%s'", FORMAT,
        format);
    Checks.notBlank(run, "run");
    Checks.notBlank(purpose, "purpose");
    Checks.notBlank(segmenter, "segmenter");
    Checks.atLeast(segments, 1, "segments");
    Checks.notNull(centroids, "centroids");
    rules = rules == null ? java.util.Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rules));
    segmentNames = List.copyOf(segmentNames);
    Checks.check(segmentNames.isEmpty() || segmentNames.size() == segments,
        "the model names %s segments but has %s", segmentNames.size(), segments);
    if (rules.isEmpty()) {
      Checks.notNull(encoding, "encoding");
      int width = encoding.featureNames().size();
      Checks.check(centroids.length == (long) segments * width,
          "the model has %s centroid values but %s segments x %s features", centroids.length,
          segments, width);
      for (int i = 0; i < centroids.length; i++) {
        Checks.check(Double.isFinite(centroids[i]), "centroid %s, feature %s is not finite",
            i / Math.max(1, width), i % Math.max(1, width));
      }
    } else {
      Checks.check(encoding == null && centroids.length == 0,
          "a model of rules has no encoding or centroids");
      Checks.check(segments == rules.size() + 1 && segmentNames.size() == segments
          && segmentNames.subList(0, rules.size()).equals(List.copyOf(rules.keySet())),
          "a model of rules names its rules' segments and then the default one");
    }
    centroids = centroids.clone();
    anonymizationScheme = anonymizationScheme == null ? "" : anonymizationScheme;
  }

  /** The centroids, a copy. */
  @Override
  public double[] centroids() {
    return centroids.clone();
  }

  /** Whether the run's rows went through an anonymize stage whose scheme is saved here. */
  @JsonIgnore
  public boolean anonymized() {
    return !anonymizationScheme.isEmpty();
  }

  /** The number of features a row is encoded to (0 for rules). */
  @JsonIgnore
  public int features() {
    return centroids.length / segments;
  }

  /** The fields a row is assigned by: the encoding's, or those the rules read. */
  @JsonIgnore
  public List<String> fields() {
    return rules.isEmpty() ? encoding.fields() : ruleSegments().fields();
  }

  /** The rules as segments, for a model of rules. */
  dev.privseg.core.segment.rules.RuleSegments ruleSegments() {
    return dev.privseg.core.segment.rules.RuleSegments.of(rules,
        segmentNames.get(segmentNames.size() - 1));
  }

  /** This model as indented JSON. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new ConfigurationException("segment model could not be serialized", e);
    }
  }

  /**
   * The SHA-256 of this model's JSON ({@link #toJson()}), 64 lower-case hexadecimal digits: the
   * record of a run that assigns to these segments names it, so the segments can be told apart
   * from any others saved under the same run id.
   */
  @JsonIgnore
  public String digest() {
    return dev.privseg.core.report.ProcessingRecord.digestOf(toJson());
  }

  /**
   * Reads a model from its JSON form.
   *
   * @throws ConfigurationException if {@code json} is not a segment model; the message names
   *     what is wrong, never a value
   */
  public static SegmentModel fromJson(String json) {
    Checks.notNull(json, "json");
    try {
      return JSON.readValue(json, SegmentModel.class);
    } catch (JsonProcessingException e) {
      throw new ConfigurationException("not a privseg segment model: "
          + e.getOriginalMessage().replaceAll("\\(.*", "").trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("not a privseg segment model: " + e.getMessage());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SegmentModel m && format.equals(m.format) && run.equals(m.run)
        && purpose.equals(m.purpose) && segmenter.equals(m.segmenter) && segments == m.segments
        && segmentNames.equals(m.segmentNames) && Objects.equals(encoding, m.encoding)
        && Arrays.equals(centroids, m.centroids) && rules.equals(m.rules)
        && anonymizationScheme.equals(m.anonymizationScheme);
  }

  @Override
  public int hashCode() {
    return Objects.hash(run, segmenter, segments, encoding, Arrays.hashCode(centroids));
  }

  @Override
  public String toString() {
    return "SegmentModel[run " + run + ", " + segmenter + ", " + segments + " segments over "
        + fields() + (anonymized() ? ", anonymized" : "") + "]";
  }
}
