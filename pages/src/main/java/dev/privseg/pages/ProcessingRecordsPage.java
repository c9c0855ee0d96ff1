package dev.privseg.pages;

import static dev.privseg.pages.Format.count;
import static dev.privseg.pages.Format.instant;
import static dev.privseg.pages.Format.json;
import static dev.privseg.pages.Format.percent;

import dev.privseg.consent.DpiaEvidence;
import dev.privseg.consent.RecordsOfProcessing;
import dev.privseg.core.Checks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The records of processing (GDPR Art. 30) and a DPIA's evidence as self-contained HTML pages:
 * one section per processing activity, each field of the register in plain words with its runs
 * as evidence; for a DPIA, each run's risk before and after as a chart and a table, the
 * guarantees, and how requests were served. They hold what the records hold and open offline.
 *
 * <pre>{@code
 * ProcessingRecordsPage.write(register.generate(db.memberships(), Instant.now()),
 *     Path.of("ropa.html"));
 * }</pre>
 */
public final class ProcessingRecordsPage {
  private ProcessingRecordsPage() {}

  /** The page of the records of processing. */
  public static String render(RecordsOfProcessing records) {
    Checks.notNull(records, "records");
    Map<String, Object> page = new HashMap<>();
    page.put("generatedAt", instant(records.generatedAt()));
    page.put("controller", records.controller());
    page.put("contact", records.controllerContact());
    page.put("dpo", records.dpoContact().isEmpty() ? "none designated" : records.dpoContact());
    page.put("activities", records.activities().stream().map(ProcessingRecordsPage::activity)
        .toList());
    return Assets.template("ropa").execute(page);
  }

  /** Writes the page of the records of processing to {@code file}. */
  public static void write(RecordsOfProcessing records, Path file) throws IOException {
    Files.writeString(Checks.notNull(file, "file"), render(records), StandardCharsets.UTF_8);
  }

  /** The page of a DPIA's evidence. */
  public static String render(DpiaEvidence evidence) {
    Checks.notNull(evidence, "evidence");
    Map<String, Object> page = new HashMap<>();
    page.put("purpose", evidence.purpose());
    page.put("generatedAt", instant(evidence.generatedAt()));
    page.put("activity", activity(evidence.activity()));
    List<Map<String, Object>> risks = new ArrayList<>();
    List<Object> chart = new ArrayList<>();
    for (DpiaEvidence.RunRisk r : evidence.risks()) {
      risks.add(Map.of("runId", r.runId(), "method", r.method(),
          "before", percent(r.before().get("prosecutorHighest")),
          "after", percent(r.after().get("prosecutorHighest")),
          "averageBefore", percent(r.before().get("prosecutorAverage")),
          "averageAfter", percent(r.after().get("prosecutorAverage")),
          "threshold", percent(r.threshold()), "suppressed", count(r.rowsSuppressed()),
          "achieved", String.join(", ", new TreeMap<>(r.achieved()).entrySet().stream()
              .map(e -> e.getKey() + " = " + e.getValue()).toList())));
      chart.add(Map.of("run", r.runId().substring(0, Math.min(8, r.runId().length())),
          "before", share(r.before().get("prosecutorHighest")),
          "after", share(r.after().get("prosecutorHighest"))));
    }
    page.put("risks", risks);
    page.put("anyRisks", !risks.isEmpty());
    page.put("guarantees", evidence.guarantees());
    DpiaEvidence.RequestsServed q = evidence.requests();
    page.put("requestsSentence", count(q.received().values().stream().mapToLong(Long::longValue)
        .sum()) + " subject requests were received; " + count(q.answered()) + " answered ("
        + count(q.answeredLate()) + " after the legal time limit), " + count(q.open())
        + " open (" + count(q.overdue()) + " overdue).");
    page.put("requestTypes", new TreeMap<>(q.received()).entrySet().stream().map(e -> Map.of(
        "type", Format.words(e.getKey()), "count", count(e.getValue()))).toList());
    page.put("chartData", json(Map.of("risks", chart)));
    page.put("echarts", Assets.echarts());
    return Assets.template("dpia").execute(page);
  }

  /** Writes the page of a DPIA's evidence to {@code file}. */
  public static void write(DpiaEvidence evidence, Path file) throws IOException {
    Files.writeString(Checks.notNull(file, "file"), render(evidence), StandardCharsets.UTF_8);
  }

  private static double share(Object value) {
    return value instanceof Number n ? Math.round(n.doubleValue() * 1000) / 10.0 : 0;
  }

  private static Map<String, Object> activity(RecordsOfProcessing.Activity a) {
    Map<String, Object> out = new HashMap<>();
    out.put("purpose", a.purpose());
    out.put("description", a.description().isEmpty() ? "no run registered yet"
        : a.description());
    out.put("lawfulBasis", a.lawfulBasis().isEmpty() ? "no run registered yet"
        : Format.words(a.lawfulBasis()));
    out.put("subjects", list(a.subjectCategories()));
    out.put("data", list(a.dataCategories()));
    out.put("special", list(a.specialCategories()));
    out.put("minimised", list(a.dataMinimised()));
    out.put("coarsened", list(new TreeMap<>(a.coarsened()).entrySet().stream()
        .map(e -> e.getKey() + ": " + e.getValue()).toList()));
    out.put("recipients", list(a.recipients()));
    out.put("transfers", a.transfers().isEmpty() ? "none outside the EEA" : list(a.transfers()));
    out.put("retention", list(a.retention()));
    out.put("measures", a.measures());
    out.put("runs", a.runs().stream().map(r -> Map.of("runId", r.runId(), "registeredAt",
        r.registeredAt().isEmpty() ? "unknown" : instant(r.registeredAt()),
        "processed", r.processedRows() < 0 ? "record not kept" : count(r.processedRows())
            + " of " + count(r.inputRows()), "digest", r.recordDigest().isEmpty() ? "none"
            : r.recordDigest())).toList());
    out.put("runCount", count(a.runs().size()));
    return out;
  }

  private static String list(List<String> items) {
    return items.isEmpty() ? "none" : String.join("; ", items);
  }
}
