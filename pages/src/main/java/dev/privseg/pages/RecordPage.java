package dev.privseg.pages;

import static dev.privseg.pages.Format.count;
import static dev.privseg.pages.Format.instant;
import static dev.privseg.pages.Format.json;
import static dev.privseg.pages.Format.percent;
import static dev.privseg.pages.Format.words;

import dev.privseg.core.Checks;
import dev.privseg.core.report.ProcessingRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's {@link ProcessingRecord} as one self-contained HTML page for a data-protection officer:
 * a summary first (the funnel from the rows read to the rows released with every exclusion by
 * reason, segment sizes against the release minimum, re-identification risk before and after,
 * privacy budget spent of its total), each guarantee as a sentence, then the fields, the
 * measures and what k, l, t, ε and prosecutor risk mean; figures formatted, parameters and
 * timings in an appendix. It holds what the record holds (counts, names, parameters) and opens
 * offline.
 *
 * <pre>{@code
 * RecordPage.write(run.report(), Path.of("report.html"));
 * }</pre>
 */
public final class RecordPage {
  private static final Map<String, String> REASONS = Map.ofEntries(
      Map.entry("NO_BASIS", "no lawful basis (never consented)"),
      Map.entry("CONSENT_WITHDRAWN", "consent withdrawn"),
      Map.entry("CONSENT_EXPIRED", "consent lapsed"),
      Map.entry("OBJECTED", "objected"),
      Map.entry("OPTED_OUT", "opted out of sale or sharing"),
      Map.entry("RESTRICTED", "processing restricted"),
      Map.entry("ERASED", "erased"),
      Map.entry("OLDER_THAN_LIMIT", "older than the retention limit"),
      Map.entry("NO_DATE", "no date to apply the retention limit to"));

  private static final java.util.regex.Pattern INSTANT = java.util.regex.Pattern.compile(
      "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");

  private RecordPage() {}

  /** The page of {@code record}. */
  public static String render(ProcessingRecord record) {
    Checks.notNull(record, "record");
    ProcessingRecord.Counts c = record.counts();
    Map<String, Object> page = new HashMap<>();
    page.put("runId", record.runId());
    page.put("startedAt", instant(record.startedAt()));
    page.put("basisEvaluatedAt", instant(record.basisEvaluatedAt()));
    page.put("purpose", record.purpose().id());
    page.put("purposeDescription", record.purpose().description());
    page.put("lawfulBasis", words(record.purpose().lawfulBasis()));
    page.put("gate", record.lawfulBasisGate());

    long rejected = sum(c.rejectedAtRead());
    long excluded = sum(c.excludedByGate());
    long retained = sum(c.excludedByRetention());
    long suppressed = record.anonymization() == null ? 0 : record.anonymization().rowsSuppressed();
    long released = record.release() == null ? c.processedRows() - suppressed
        : record.release().assignments();
    page.put("inputRows", count(c.inputRows()));
    page.put("processedRows", count(c.processedRows()));
    page.put("processedShare", percent(c.processedRows(), c.inputRows(), "0 %"));
    page.put("released", count(released));
    List<Map<String, Object>> exclusions = new ArrayList<>();
    addExclusions(exclusions, "rejected when read", c.rejectedAtRead());
    addExclusions(exclusions, "no lawful basis", c.excludedByGate());
    addExclusions(exclusions, "retention limit", c.excludedByRetention());
    if (suppressed > 0) {
      exclusions.add(Map.of("stage", "anonymisation", "reason", "suppressed (too rare to "
          + "release)", "rows", count(suppressed), "share",
          percent(suppressed, c.inputRows(), "0 %")));
    }
    page.put("exclusions", exclusions);
    page.put("anyExclusions", !exclusions.isEmpty());
    page.put("funnelSentence", count(c.inputRows()) + " rows were read; " + count(rejected)
        + " were rejected as malformed, " + count(excluded) + " excluded for lack of a lawful "
        + "basis" + (retained > 0 ? ", " + count(retained) + " by the retention limit" : "")
        + (suppressed > 0 ? ", " + count(suppressed) + " suppressed by anonymisation" : "")
        + "; " + count(released) + " (" + percent(released, c.inputRows(), "0 %")
        + ") were segmented and assigned.");

    ProcessingRecord.SegmentationEntry s = record.segmentation();
    int minSize = record.release() == null ? 0 : record.release().minSegmentSize();
    List<Map<String, Object>> segments = new ArrayList<>();
    for (int i = 0; i < s.segmentSizes().size(); i++) {
      int size = s.segmentSizes().get(i);
      segments.add(Map.of("segment", i, "size", count(size), "released", size >= minSize));
    }
    page.put("segments", segments);
    page.put("segmentCount", s.segments());
    page.put("algorithm", s.algorithm());
    page.put("minSegmentSize", count(minSize));
    page.put("smallest", count(s.segmentSizes().stream().mapToInt(Integer::intValue).min()
        .orElse(0)));
    if (record.release() != null) {
      ProcessingRecord.ReleaseEntry r = record.release();
      page.put("releaseSentence", "Profiles were released for " + count(r.releasedProfiles())
          + " of " + count(r.releasedProfiles() + r.suppressedProfiles()) + " segments; a "
          + "segment of fewer than " + count(r.minSegmentSize()) + " members is never "
          + "described. Figures are " + r.profileMechanism() + ".");
      if (!r.privacy().isEmpty()) {
        Map<String, Object> dp = new HashMap<>();
        dp.put("epsilon", r.privacy().getOrDefault("epsilon", ""));
        dp.put("spent", r.privacy().getOrDefault("spentEpsilon", ""));
        dp.put("budget", r.privacy().getOrDefault("budgetEpsilon", ""));
        dp.put("delta", r.privacy().getOrDefault("delta", ""));
        dp.put("model", r.privacy().getOrDefault("model", ""));
        page.put("dp", dp);
      }
    }
    page.put("risk", risk(record.anonymization()));
    page.put("guarantees", record.guarantees().stream().map(RecordPage::guarantee).toList());
    page.put("used", String.join(", ", record.fields().used()));
    page.put("dropped", record.fields().dropped().isEmpty() ? "none"
        : String.join(", ", record.fields().dropped()));
    page.put("coarsened", new TreeMap<>(record.fields().coarsened()).entrySet().stream()
        .map(e -> Map.of("field", e.getKey(), "rule", e.getValue())).toList());
    page.put("specialCategories", record.fields().specialCategories().isEmpty() ? "none"
        : String.join(", ", record.fields().specialCategories()));
    if (record.pseudonymization() != null) {
      page.put("pseudonymization", record.pseudonymization().field() + " was replaced by "
          + record.pseudonymization().method() + " pseudonyms (key "
          + record.pseudonymization().keyId() + "); no raw identifier leaves the run.");
    }
    page.put("quality", List.of(
        Map.of("name", "segments", "value", count(s.segments())),
        Map.of("name", "iterations", "value", count(s.iterations()) + (s.converged()
            ? ", converged" : ", not converged")),
        Map.of("name", "inertia (standardized)", "value", decimal(s.inertia())),
        Map.of("name", "silhouette (sample of " + count(s.silhouetteSample()) + ")", "value",
            decimal(s.silhouette())),
        Map.of("name", "stability (adjusted Rand index)", "value", s.stability() == null
            ? "not measured" : decimal(s.stability()))));
    page.put("parameters", new TreeMap<>(s.parameters()).entrySet().stream()
        .map(e -> Map.of("name", e.getKey(), "value", value(e.getValue()))).toList());
    page.put("timings", record.stageMillis().entrySet().stream().map(e -> Map.of("stage",
        words(e.getKey()), "millis", count(e.getValue()))).toList());

    Map<String, Object> charts = new LinkedHashMap<>();
    charts.put("funnel", List.of(
        List.of("read", c.inputRows()), List.of("well-formed", c.inputRows() - rejected),
        List.of("with a lawful basis", c.inputRows() - rejected - excluded),
        List.of("processed", c.processedRows()), List.of("assigned", released)));
    charts.put("sizes", s.segmentSizes());
    charts.put("minSize", minSize);
    @SuppressWarnings("unchecked")
    Map<String, Object> risk = (Map<String, Object>) page.get("risk");
    charts.put("risk", risk == null ? null : risk.get("chart"));
    page.put("chartData", json(charts));
    page.put("echarts", Assets.echarts());
    return Assets.template("record").execute(page);
  }

  /** Writes the page of {@code record} to {@code file}. */
  public static void write(ProcessingRecord record, Path file) throws IOException {
    Files.writeString(Checks.notNull(file, "file"), render(record), StandardCharsets.UTF_8);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> risk(ProcessingRecord.AnonymizationEntry a) {
    if (a == null || a.summary() == null || !(a.summary().get("riskBefore") instanceof Map)) {
      return null;
    }
    Map<String, Object> before = (Map<String, Object>) a.summary().get("riskBefore");
    Map<String, Object> after = (Map<String, Object>) a.summary().get("riskAfter");
    Map<String, Object> out = new HashMap<>();
    out.put("method", a.method());
    out.put("achieved", a.summary().get("achieved") instanceof Map<?, ?> m
        ? String.join(", ", new TreeMap<>((Map<String, Object>) m).entrySet().stream()
            .map(e -> e.getKey() + " = " + value(e.getValue())).toList()) : "");
    out.put("threshold", percent(a.summary().get("riskThreshold")));
    List<Map<String, Object>> rows = new ArrayList<>();
    List<Object> chart = new ArrayList<>();
    for (String[] measure : new String[][] {
        {"prosecutorHighest", "highest chance of re-identifying a person"},
        {"prosecutorAverage", "average chance of re-identifying a person"},
        {"shareAtRisk", "share of people above the risk threshold"}}) {
      Object b = before == null ? null : before.get(measure[0]);
      Object f = after == null ? null : after.get(measure[0]);
      rows.add(Map.of("measure", measure[1], "before", percent(b), "after", percent(f)));
      chart.add(List.of(measure[1], number(b) * 100, number(f) * 100));
    }
    out.put("rows", rows);
    out.put("chart", chart);
    out.put("sentence", "Before anonymisation, the highest chance of picking out one person "
        + "from their quasi-identifiers was " + percent(before == null ? null
            : before.get("prosecutorHighest")) + "; after, it is " + percent(after == null
            ? null : after.get("prosecutorHighest")) + " (" + a.method() + ").");
    return out;
  }

  private static Map<String, Object> guarantee(String sentence) {
    // Instants as the page writes them elsewhere, not to the nanosecond.
    String text = INSTANT.matcher(sentence).replaceAll(m -> instant(m.group()));
    int colon = text.indexOf(": ");
    return colon < 0 ? Map.of("name", "", "text", text)
        : Map.of("name", text.substring(0, 1).toUpperCase(Locale.ROOT)
            + text.substring(1, colon), "text", text.substring(colon + 2));
  }

  private static void addExclusions(List<Map<String, Object>> out, String stage,
      Map<String, Long> counts) {
    new TreeMap<>(counts).forEach((reason, n) -> out.add(Map.of("stage", stage, "reason",
        REASONS.getOrDefault(reason, words(reason)), "rows", count(n), "share", "")));
  }

  private static long sum(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }





  private static double number(Object value) {
    return value instanceof Number n ? n.doubleValue() : 0;
  }

  private static String decimal(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%,.3f", v) : "not measured";
  }

  /** A parameter as a reader sees it: numbers formatted, lists joined, the rest as text. */
  private static String value(Object v) {
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? count((long) d)
          : String.format(Locale.ROOT, "%.6g", d).replaceAll("\\.?0+(e|$)", "$1");
    }
    if (v instanceof Number n) {
      return count(n.longValue());
    }
    if (v instanceof List<?> l) {
      return String.join(", ", l.stream().map(RecordPage::value).toList());
    }
    if (v instanceof Map<?, ?> m) {
      return String.join("; ", new TreeMap<>(m).entrySet().stream()
          .map(e -> e.getKey() + " " + value(e.getValue())).toList());
    }
    return String.valueOf(v);
  }

}
