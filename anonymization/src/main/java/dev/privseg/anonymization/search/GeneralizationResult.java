package dev.privseg.anonymization.search;

import dev.privseg.anonymization.internal.ClassHistogram;
import dev.privseg.anonymization.internal.Models;
import dev.privseg.anonymization.internal.RiskSummary;
import dev.privseg.anonymization.model.PrivacyModel;
import dev.privseg.anonymization.utility.LossMetric;
import dev.privseg.core.anonymize.AnonymizedData;
import dev.privseg.core.dataset.CategoricalColumn;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.NumberColumn;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.FieldType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The transformation a {@link GeneralizationAnonymizer} chose for one table, and what it achieves:
 * the level per quasi-identifier, rows suppressed, the achieved k, l and t, information loss under
 * every metric, and the prosecutor re-identification risk before and after. Holds counts and
 * parameters only; the released rows are in {@link #anonymized()}. Immutable.
 */
public final class GeneralizationResult {
  private final Map<String, Integer> levels;
  private final int suppressed;
  private final int classes;
  private final int smallestClass;
  private final double loss;
  private final Map<String, Object> summary;
  private final AnonymizedData anonymized;
  private final TransformationScheme scheme;

  GeneralizationResult(GeneralizationAnonymizer config, Dataset data, Engine engine,
      Engine.Eval best, double riskThreshold, double millis) {
    Encoding enc = engine.enc;
    int[] lv = engine.levels(best.node);
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
    int[] releasedRows = releasedRows(enc, best, ofBottom);
    this.anonymized = new AnonymizedData(output(data, enc, lv, releasedRows), releasedRows,
        summary, guarantees(config, enc.rows, achieved), Models.covered(config.quasiIdentifiers(), config.models()));
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

  /** The released rows and the guarantees that hold for them. */
  public AnonymizedData anonymized() {
    return anonymized;
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

  private static int[] releasedRows(Encoding enc, Engine.Eval best, int[] ofBottom) {
    int[] out = new int[enc.rows - best.suppressed];
    int i = 0;
    for (int r = 0; r < enc.rows; r++) {
      if (!best.failing[ofBottom[enc.classOfRow[r]]]) {
        out[i++] = r;
      }
    }
    return out;
  }

  private static Dataset output(Dataset data, Encoding enc, int[] lv, int[] rows) {
    List<Column> out = new ArrayList<>();
    for (Column c : data.columns()) {
      int q = Arrays.asList(enc.names).indexOf(c.name());
      if (q < 0 || (lv[q] == 0 && c instanceof NumberColumn)) {
        out.add(c.select(rows));
        continue;
      }
      String[] labels = enc.labels[q][lv[q]];
      int[] dense = new int[labels.length];
      List<String> dictionary = new ArrayList<>();
      for (int i = 0; i < labels.length; i++) {
        dense[i] = labels[i] == null ? -1 : dictionary.size();
        if (labels[i] != null) {
          dictionary.add(labels[i]);
        }
      }
      int[] map = enc.map[q][lv[q]];
      int[] codes = new int[rows.length];
      for (int i = 0; i < rows.length; i++) {
        int b = enc.classOfRow[rows[i]];
        codes[i] = dense[map[enc.bottomCodes[b * enc.qis + q]]];
      }
      Field f = c.field();
      out.add(CategoricalColumn.of(new Field(f.name(), FieldType.CATEGORICAL, f.role(), false,
          List.of()), codes, dictionary));
    }
    return Dataset.of(out);
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
    return "GeneralizationResult[levels=" + levels + ", suppressed=" + suppressed + ", k="
        + smallestClass + ", loss=" + loss + "]";
  }
}
