package dev.privseg.core.segment.rules;

import dev.privseg.core.Checks;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentationResult;
import dev.privseg.core.segment.Segmenter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rule-based segments: declarative predicates over the kept fields, first match wins, and a
 * default segment. Rules are parsed when added, so a typo fails at configuration time with its
 * position. Values are compared as they are after minimization (coarsened fields by their
 * labels). Immutable and thread-safe.
 *
 * <pre>{@code
 * RuleSegments.first("young urban", "age < 30 and region in ('capital', 'west')")
 *     .then("big spenders", "spend_12m >= 2000")
 *     .then("unknown age", "age is missing")
 *     .otherwise("everyone else")
 * }</pre>
 */
public final class RuleSegments implements Segmenter {
  private record Rule(String name, String text, Predicate predicate) {}

  private final List<Rule> rules;
  private final String otherwise;

  private RuleSegments(List<Rule> rules, String otherwise) {
    this.rules = List.copyOf(rules);
    this.otherwise = otherwise;
  }

  /** Starts with segment {@code name} for rows matching {@code rule}. */
  public static RuleSegments first(String name, String rule) {
    return new RuleSegments(List.of(), "others").then(name, rule);
  }

  /** Adds segment {@code name} for rows matching {@code rule} and no earlier rule. */
  public RuleSegments then(String name, String rule) {
    Checks.notBlank(name, "segment name");
    Checks.notBlank(rule, "rule of segment '" + name + "'");
    Checks.check(rules.stream().noneMatch(r -> r.name().equals(name)),
        "segment '%s' is named twice", name);
    List<Rule> next = new ArrayList<>(rules);
    next.add(new Rule(name, rule, RuleParser.parse(name, rule)));
    return new RuleSegments(next, otherwise);
  }

  /** The default segment's name (default "others"). */
  public RuleSegments otherwise(String name) {
    return new RuleSegments(rules, Checks.notBlank(name, "default segment"));
  }

  /** The rules, by segment name in order, as they were written. */
  public Map<String, String> rules() {
    Map<String, String> out = new LinkedHashMap<>();
    rules.forEach(r -> out.put(r.name(), r.text()));
    return java.util.Collections.unmodifiableMap(out);
  }

  /** The default segment's name. */
  public String otherwiseName() {
    return otherwise;
  }

  /**
   * Rule segments of {@code rules} (segment name to rule, in order) and the default segment
   * {@code otherwise}: what {@link #rules()} and {@link #otherwiseName()} give back.
   *
   * @throws dev.privseg.core.ConfigurationException if there is no rule, or a rule does not
   *     parse
   */
  public static RuleSegments of(Map<String, String> rules, String otherwise) {
    Checks.check(!rules.isEmpty(), "rule segments need at least one rule");
    RuleSegments out = null;
    for (Map.Entry<String, String> r : rules.entrySet()) {
      out = out == null ? first(r.getKey(), r.getValue()) : out.then(r.getKey(), r.getValue());
    }
    return out.otherwise(otherwise);
  }

  /** The fields the rules refer to. */
  public List<String> fields() {
    List<String> out = new ArrayList<>();
    rules.forEach(r -> Predicate.fields(r.predicate(), out));
    return out.stream().distinct().toList();
  }

  @Override
  public String description() {
    return "rule-based segments, first match wins";
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    rules.forEach(r -> p.put(r.name(), r.text()));
    p.put("otherwise", otherwise);
    return p;
  }

  /** Rules read values: a date or timestamp field may be kept for them. */
  @Override
  public boolean readsValues() {
    return true;
  }

  /** A row's segment is decided by its own values against the rules' declared constants. */
  @Override
  public dev.privseg.core.segment.LabelDependence labelDependence() {
    return dev.privseg.core.segment.LabelDependence.ROW_AND_DECLARED_PARAMETERS;
  }

  /** Decides each row from its values, {@link FeatureMatrix#values()}. */
  @Override
  public SegmentationResult fit(FeatureMatrix features, SegmentContext context) {
    Dataset data = features.valuesFor("rule segments");
    List<Predicate.Bound> bound = new ArrayList<>();
    for (Rule r : rules) {
      bound.add(r.predicate().bind(data));
    }
    int n = data.rowCount();
    int[] labels = new int[n];
    for (int row = 0; row < n; row++) {
      int label = rules.size();
      for (int j = 0; j < bound.size(); j++) {
        if (bound.get(j).test(row)) {
          label = j;
          break;
        }
      }
      labels[row] = label;
    }
    int segments = rules.size() + 1;
    int d = features.cols();
    double[] centroids = new double[segments * d];
    long[] counts = new long[segments];
    double[] x = features.data();
    for (int i = 0; i < n; i++) {
      counts[labels[i]]++;
      for (int j = 0; j < d; j++) {
        centroids[labels[i] * d + j] += x[i * d + j];
      }
    }
    double inertia = 0;
    for (int c = 0; c < segments; c++) {
      for (int j = 0; j < d && counts[c] > 0; j++) {
        centroids[c * d + j] /= counts[c];
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        double diff = x[i * d + j] - centroids[labels[i] * d + j];
        inertia += diff * diff;
      }
    }
    List<String> names = new ArrayList<>();
    rules.forEach(r -> names.add(r.name()));
    names.add(otherwise);
    return new SegmentationResult(labels, segments, centroids, inertia, 0, true,
        Map.of("segmentNames", names));
  }

  @Override
  public String toString() {
    return "RuleSegments" + parameters();
  }
}
