package dev.privseg.anonymization.search;

import dev.privseg.anonymization.internal.ClassHistogram;
import dev.privseg.anonymization.internal.Models;
import dev.privseg.anonymization.internal.RiskSummary;
import dev.privseg.anonymization.model.PrivacyModel;
import dev.privseg.anonymization.utility.LossMetric;
import dev.privseg.core.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The transformation a {@link GeneralizationAnonymizer} chose for a table given as its classes
 * ({@link ClassTable}), and what it achieves: the level per quasi-identifier, which classes are
 * released and which suppressed, each value's label at its level, the achieved k, l and t,
 * information loss under every metric, and the prosecutor re-identification risk before and
 * after. Holds counts, labels and parameters only. An engine that holds the rows applies it
 * there: a row of a released class gets each quasi-identifier's {@link #label}, a row of a
 * suppressed class is not released. Immutable.
 */
public final class GeneralizationChoice {
  private final Map<String, Integer> levels;
  private final int suppressed;
  private final int classes;
  private final int smallestClass;
  private final double loss;
  private final Map<String, Object> summary;
  private final List<String> guarantees;
  private final List<String> covered;
  private final TransformationScheme scheme;
  /** Whether each class of the table is released. */
  private final boolean[] released;
  final Encoding enc;
  final int[] chosen;

  GeneralizationChoice(GeneralizationAnonymizer config, Engine engine, Engine.Eval best,
      double riskThreshold, double millis) {
    Encoding enc = engine.enc;
    this.enc = enc;
    int[] lv = engine.levels(best.node);
    this.chosen = lv;
    Map<String, Integer> lm = new LinkedHashMap<>();
    for (int q = 0; q < enc.qis; q++) {
      lm.put(enc.names[q], lv[q]);
    }
    this.levels = Collections.unmodifiableMap(lm);
    this.scheme = config.scheme().orElseGet(() -> config.schemeOf(levels));
    this.suppressed = best.suppressed;
    this.loss = best.loss;
    NodeClasses cl = best.classes;
    int[] ofBottom = engine.classes.ofBottom(cl);
    int released = 0;
    int smallest = Integer.MAX_VALUE;
    for (int c = 0; c < cl.count; c++) {
      if (!best.failing[c]) {
        released++;
        smallest = Math.min(smallest, cl.size[c]);
      }
    }
    this.classes = released;
    this.smallestClass = released == 0 ? 0 : smallest;

    Map<String, Object> s = new LinkedHashMap<>();
    s.put("transformation", levels);
    s.put("hierarchyHeights", heights(enc));
    s.put("rowsSuppressed", suppressed);
    s.put("classes", classes);
    Map<String, Object> achieved = new LinkedHashMap<>();
    achieved.put("k", smallestClass);
    achieved.putAll(sensitiveAchieved(engine, best, ofBottom));
    s.put("achieved", achieved);
    s.put("metric", config.parameters().get("metric"));
    s.put("informationLoss", loss);
    s.put("informationLossByMetric", allMetrics(enc, config, best, engine));
    s.put("riskBefore", RiskSummary.prosecutor(enc.bottomSize, null, enc.rows,
        riskThreshold));
    s.put("riskAfter", RiskSummary.prosecutor(cl.size, best.failing, enc.rows - suppressed,
        riskThreshold));
    s.put("riskThreshold", riskThreshold);
    if (config.populationSize() > 0) {
      s.put("populationSize", config.populationSize());
      s.put("populationUniquenessBefore", zayatz(enc.bottomSize, null, config.populationSize()));
      s.put("populationUniquenessAfter", zayatz(cl.size, best.failing, config.populationSize()));
    }
    if (config.population() != null) {
      s.put("journalistRisk", journalist(engine.classes.populationCounts(cl), cl.size, best.failing,
          enc.rows - suppressed, riskThreshold));
    }
    s.put("latticeNodes", engine.size);
    s.put("nodesEvaluated", engine.evaluations);
    s.put("searchMillis", Math.round(millis * 10) / 10.0);
    this.summary = Collections.unmodifiableMap(s);
    this.guarantees = guarantees(config, enc.rows, achieved);
    this.covered = Models.covered(config.quasiIdentifiers(), config.models());
    this.released = new boolean[enc.bottom];
    for (int b = 0; b < enc.bottom; b++) {
      this.released[b] = !best.failing[ofBottom[b]];
    }
  }

  private static List<Integer> heights(Encoding enc) {
    List<Integer> out = new ArrayList<>();
    for (int h : enc.heights) {
      out.add(h);
    }
    return out;
  }

  /** The level chosen for each quasi-identifier (0 = as it is; the top = suppressed). */
  public Map<String, Integer> levels() {
    return levels;
  }

  /** Rows suppressed: in classes that broke a model; never released. */
  public int suppressedRows() {
    return suppressed;
  }

  /**
   * The number of classes of the table searched: its distinct combinations of quasi-identifier
   * values, what the search's memory grows with.
   */
  public int inputClasses() {
    return enc.bottom;
  }

  /** The number of released equivalence classes. */
  public int classes() {
    return classes;
  }

  /** The achieved k: the size of the smallest released class (0 if nothing is released). */
  public int achievedK() {
    return smallestClass;
  }

  /** The information loss of the chosen transformation under the configured metric. */
  public double informationLoss() {
    return loss;
  }

  /**
   * The chosen transformation as a scheme, to save and re-apply to later batches without a new
   * search ({@link GeneralizationAnonymizer#withScheme}).
   */
  public TransformationScheme scheme() {
    return scheme;
  }

  /** Everything the processing record states about this result. */
  public Map<String, Object> summary() {
    return summary;
  }

  /** Statements that hold for the released rows, for the processing record. */
  public List<String> guarantees() {
    return guarantees;
  }

  /**
   * The fields the guarantees cover: the quasi-identifiers and the sensitive fields a model
   * protects. Released microdata holds only these.
   */
  public List<String> coveredFields() {
    return covered;
  }

  /** Whether class {@code c} of the table searched is released (else all its rows are not). */
  public boolean released(int c) {
    Checks.check(c >= 0 && c < released.length, "class %s is outside 0..%s", c,
        released.length - 1);
    return released[c];
  }

  /**
   * The label at its chosen level of the value with code {@code code} of quasi-identifier
   * {@code field} (as the table codes it); null for the missing value, which stays missing below
   * the top level.
   */
  public String label(String field, int code) {
    int q = index(field);
    int limit = enc.tableValues[q] + (enc.tableMissing[q] >= 0 ? 1 : 0);
    Checks.check(code >= 0 && code < limit, "code %s of '%s' is outside 0..%s", code, field,
        limit - 1);
    return enc.labels[q][chosen[q]][enc.map[q][chosen[q]][baseCode(q, code)]];
  }

  /**
   * The labels of quasi-identifier {@code field} at its chosen level, each once, in the order of
   * the values they first label: the categories of the released field (a released row may not
   * hold each of them).
   */
  public List<String> dictionary(String field) {
    List<String> out = new ArrayList<>();
    for (String l : enc.labels[index(field)][chosen[index(field)]]) {
      if (l != null) {
        out.add(l);
      }
    }
    return out;
  }

  /** Whether each class of the table searched is released; shared, not copied. */
  boolean[] releasedClasses() {
    return released;
  }

  private int index(String field) {
    int q = Arrays.asList(enc.names).indexOf(field);
    Checks.check(q >= 0, "'%s' is not a quasi-identifier of this choice", field);
    return q;
  }

  /** The encoding's code of the table's code {@code code} of field {@code q}. */
  private int baseCode(int q, int code) {
    return code == enc.tableMissing[q] ? enc.missingCode[q] : code;
  }

  private static Map<String, Object> sensitiveAchieved(Engine engine, Engine.Eval best,
      int[] ofBottom) {
    Map<String, Object> out = new LinkedHashMap<>();
    Encoding enc = engine.enc;
    NodeClasses cl = best.classes;
    if (enc.sensitive.isEmpty()) {
      return out;
    }
    int[] start = new int[cl.count + 1];
    int[] members = engine.classes.members(cl, ofBottom, start);
    for (Encoding.Sensitive sens : enc.sensitive) {
      ClassHistogram h = new ClassHistogram(sens.codes);
      int minDistinct = Integer.MAX_VALUE;
      double minEntropyL = Double.POSITIVE_INFINITY;
      double maxT = 0;
      for (int c = 0; c < cl.count; c++) {
        if (best.failing[c]) {
          continue;
        }
        sens.fill(h, members, start[c], start[c + 1]);
        minDistinct = Math.min(minDistinct, h.distinct());
        minEntropyL = Math.min(minEntropyL, Math.exp(h.entropy()));
        maxT = Math.max(maxT, h.distanceToTable());
        h.clear();
      }
      Map<String, Object> f = new LinkedHashMap<>();
      boolean any = minDistinct != Integer.MAX_VALUE;
      f.put("distinctL", any ? minDistinct : 0);
      f.put("entropyL", any ? round(minEntropyL) : 0);
      f.put("t", round(maxT));
      out.put(sens.codes.field, f);
    }
    return out;
  }

  private static Map<String, Object> allMetrics(Encoding enc, GeneralizationAnonymizer config,
      Engine.Eval best, Engine engine) {
    Map<String, Object> out = new LinkedHashMap<>();
    int[] lv = engine.levels(best.node);
    for (LossMetric m : LossMetric.values()) {
      double loss = m == engine.metric ? best.loss : NodeLoss.of(new Encoding(enc, m), m, lv,
          best.classes, best.failing, best.suppressed);
      out.put(m.name(), round(loss));
    }
    return out;
  }


  private static double round(double v) {
    return RiskSummary.round(v);
  }

  private static Map<String, Object> zayatz(int[] sizes, boolean[] failing, long population) {
    int[] released = new int[sizes.length];
    int m = 0;
    for (int c = 0; c < sizes.length; c++) {
      if (failing == null || !failing[c]) {
        released[m++] = sizes[c];
      }
    }
    dev.privseg.anonymization.risk.PopulationUniqueness.Estimate e =
        dev.privseg.anonymization.risk.PopulationUniqueness.zayatz(Arrays.copyOf(released, m),
            population);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("model", "Zayatz");
    out.put("estimatedPopulationUniques", round(e.estimatedUniques()));
    out.put("share", round(e.share()));
    return out;
  }

  private static Map<String, Object> journalist(long[] population, int[] sizes,
      boolean[] failing, int rows, double threshold) {
    long smallest = Long.MAX_VALUE;
    double sum = 0;
    long atRisk = 0;
    for (int c = 0; c < sizes.length; c++) {
      if (failing[c]) {
        continue;
      }
      smallest = Math.min(smallest, population[c]);
      sum += sizes[c] / (double) population[c];
      if (1.0 / population[c] > threshold) {
        atRisk += sizes[c];
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("highest", smallest == Long.MAX_VALUE ? 0 : round(1.0 / smallest));
    out.put("average", rows == 0 ? 0 : round(sum / rows));
    out.put("shareAtRisk", rows == 0 ? 0 : round((double) atRisk / rows));
    out.put("smallestPopulationClass", smallest == Long.MAX_VALUE ? 0 : smallest);
    return out;
  }

  private List<String> guarantees(GeneralizationAnonymizer config, int rows,
      Map<String, Object> achieved) {
    List<String> out = new ArrayList<>();
    for (PrivacyModel m : config.models()) {
      out.add(m.criterion() + " holds for every released row (quasi-identifiers "
          + config.quasiIdentifiers() + ")");
    }
    out.add("achieved " + achieved);
    out.add(suppressed + " of " + rows + " rows could not be protected within the suppression "
        + "limit of " + GeneralizationAnonymizer.percent(
            (Double) config.parameters().get("suppressionLimit"))
        + " and were suppressed: they appear in no output");
    return out;
  }

  @Override
  public String toString() {
    return "GeneralizationChoice[levels=" + levels + ", suppressed=" + suppressed + ", k="
        + smallestClass + ", loss=" + loss + "]";
  }
}
