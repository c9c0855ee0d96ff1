package dev.privseg.core.segment.rfm;

import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentationResult;
import dev.privseg.core.segment.Segmenter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFM segmentation: recency, frequency and monetary scores from 1 to 5 (quintiles of the rows,
 * recency reversed so that recent buyers score 5), then named segments by rules, first match
 * wins, with a default segment. Immutable and thread-safe.
 *
 * <pre>{@code
 * Rfm.scores("recency_days", "frequency", "monetary").withStandardSegments()
 * Rfm.scores(...).segment("vip", s -> s.r() == 5 && s.f() == 5 && s.m() == 5)
 *                .segment("lapsing", s -> s.r() <= 2).otherwise("others")
 * }</pre>
 *
 * <p>Scores come from ranks, so standardizing the features (as the pipeline does) changes
 * nothing; ties share the score of their first rank.
 */
public final class Rfm implements Segmenter {

  /**
   * A row's scores, each 1 (worst) to 5 (best).
   *
   * @param r recency score (5 = bought most recently)
   * @param f frequency score
   * @param m monetary score
   */
  public record Scores(int r, int f, int m) {}

  /** A named segment's rule. */
  @FunctionalInterface
  public interface Rule {
    /** Whether a row with {@code scores} belongs to the segment. */
    boolean test(Scores scores);
  }

  private record Named(String name, Rule rule) {}

  private final String recency;
  private final String frequency;
  private final String monetary;
  private final List<Named> segments;
  private final String otherwise;

  private Rfm(String recency, String frequency, String monetary, List<Named> segments,
      String otherwise) {
    this.recency = recency;
    this.frequency = frequency;
    this.monetary = monetary;
    this.segments = List.copyOf(segments);
    this.otherwise = otherwise;
  }

  /** RFM on these fields (recency in days: lower is better), with no named segment yet. */
  public static Rfm scores(String recencyField, String frequencyField, String monetaryField) {
    return new Rfm(Checks.notBlank(recencyField, "recency field"),
        Checks.notBlank(frequencyField, "frequency field"),
        Checks.notBlank(monetaryField, "monetary field"), List.of(), "others");
  }

  /** Adds a named segment; rules are tried in the order added. */
  public Rfm segment(String name, Rule rule) {
    Checks.notBlank(name, "segment name");
    Checks.notNull(rule, "rule of segment '" + name + "'");
    Checks.check(segments.stream().noneMatch(s -> s.name().equals(name)) && !name.equals(otherwise),
        "segment '%s' is named twice", name);
    List<Named> next = new ArrayList<>(segments);
    next.add(new Named(name, rule));
    return new Rfm(recency, frequency, monetary, next, otherwise);
  }

  /** The name of the default segment (default "others"). */
  public Rfm otherwise(String name) {
    return new Rfm(recency, frequency, monetary, segments, Checks.notBlank(name, "default segment"));
  }

  /**
   * The usual named segments: champions (R, F, M all at least 4), loyal (F at least 4), new
   * (R 5, F 1), at risk (R at most 2, F at least 3), hibernating (R and F at most 2), otherwise
   * needs attention.
   */
  public Rfm withStandardSegments() {
    return segment("champions", s -> s.r() >= 4 && s.f() >= 4 && s.m() >= 4)
        .segment("loyal", s -> s.f() >= 4)
        .segment("new", s -> s.r() == 5 && s.f() == 1)
        .segment("at risk", s -> s.r() <= 2 && s.f() >= 3)
        .segment("hibernating", s -> s.r() <= 2 && s.f() <= 2)
        .otherwise("needs attention");
  }

  /** The segment names, by segment number (the default last). */
  public List<String> segmentNames() {
    List<String> names = new ArrayList<>();
    segments.forEach(s -> names.add(s.name()));
    names.add(otherwise);
    return names;
  }

  @Override
  public String description() {
    return "RFM quintile scores with named segments";
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("recency", recency);
    p.put("frequency", frequency);
    p.put("monetary", monetary);
    p.put("segments", segmentNames());
    return p;
  }

  @Override
  public SegmentationResult fit(FeatureMatrix features, SegmentContext context) {
    int rCol = column(features, recency);
    int fCol = column(features, frequency);
    int mCol = column(features, monetary);
    int n = features.rows();
    int[] r = quintiles(features, rCol, true);
    int[] f = quintiles(features, fCol, false);
    int[] m = quintiles(features, mCol, false);
    context.checkCancelled();
    int segmentCount = segments.size() + 1;
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      Scores s = new Scores(r[i], f[i], m[i]);
      int label = segments.size();
      for (int j = 0; j < segments.size(); j++) {
        if (segments.get(j).rule().test(s)) {
          label = j;
          break;
        }
      }
      labels[i] = label;
    }
    double[] centroids = new double[segmentCount * features.cols()];
    long[] counts = new long[segmentCount];
    double[] x = features.data();
    int d = features.cols();
    for (int i = 0; i < n; i++) {
      counts[labels[i]]++;
      for (int j = 0; j < d; j++) {
        centroids[labels[i] * d + j] += x[i * d + j];
      }
    }
    for (int c = 0; c < segmentCount; c++) {
      for (int j = 0; j < d && counts[c] > 0; j++) {
        centroids[c * d + j] /= counts[c];
      }
    }
    double inertia = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        double diff = x[i * d + j] - centroids[labels[i] * d + j];
        inertia += diff * diff;
      }
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("segmentNames", segmentNames());
    return new SegmentationResult(labels, segmentCount, centroids, inertia, 0, true, details);
  }

  private static int column(FeatureMatrix m, String name) {
    int i = m.featureNames().indexOf(name);
    if (i < 0) {
      throw new ConfigurationException("RFM field '" + name + "' is not a numeric feature of "
          + "the run (features: " + m.featureNames() + ")");
    }
    return i;
  }

  /** Scores 1..5 by rank; {@code lowerIsBetter} reverses (recency). Ties share a score. */
  static int[] quintiles(FeatureMatrix m, int col, boolean lowerIsBetter) {
    int n = m.rows();
    int d = m.cols();
    double[] x = m.data();
    int[] score = new int[n];
    if (n == 0) {
      return score;
    }
    // A row whose value has first rank i (the number of values below it) is in quintile
    // 1 + floor(5i / n), that is 1 + the number of q in 1..4 with i >= ceil(qn / 5), and
    // i >= ceil(qn / 5) exactly when the value exceeds the one at that rank in sorted order.
    // So four values of a sorted copy score every row, without sorting the rows themselves.
    double[] sorted = new double[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = x[i * d + col];
    }
    Arrays.sort(sorted);
    double[] above = new double[4];
    for (int q = 1; q <= 4; q++) {
      int rank = (int) (((long) q * n + 4) / 5); // ceil(qn / 5), at least 1
      above[q - 1] = sorted[rank - 1];
    }
    for (int i = 0; i < n; i++) {
      double v = x[i * d + col];
      int quintile = 1;
      for (double threshold : above) {
        quintile += v > threshold ? 1 : 0;
      }
      score[i] = lowerIsBetter ? 6 - quintile : quintile;
    }
    return score;
  }

  @Override
  public String toString() {
    return "Rfm" + parameters();
  }
}
