package dev.privseg.pages;

import static dev.privseg.pages.Format.count;
import static dev.privseg.pages.Format.instant;
import static dev.privseg.pages.Format.json;
import static dev.privseg.pages.Format.percent;
import static dev.privseg.pages.Format.words;

import dev.privseg.consent.ComplianceStatus;
import dev.privseg.core.Checks;
import dev.privseg.core.release.BudgetStatus;
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

/**
 * The compliance status as one self-contained HTML page for a data-protection officer: a
 * summary first (the ledger, consent per purpose, stale runs, requests, budgets), each with a
 * plain-language sentence; charts of consent over the weeks, of each run's members who kept or
 * lost their basis, and of each budget spent; then the tables, and the technical details last.
 * Numbers are formatted, reasons are named in words, and the page holds what the status holds
 * (counts, ids, times), nothing more. It opens offline.
 *
 * <pre>{@code
 * StatusPage.write(monitor.status(Instant.now()), Path.of("status.html"));
 * }</pre>
 */
public final class StatusPage {
  private static final Map<String, String> REASONS = Map.of(
      "NO_BASIS", "never consented",
      "CONSENT_WITHDRAWN", "withdrew consent",
      "CONSENT_EXPIRED", "let consent lapse",
      "OBJECTED", "objected",
      "OPTED_OUT", "opted out of sale or sharing",
      "RESTRICTED", "restricted processing",
      "ERASED", "asked to be erased");

  private StatusPage() {}

  /** The page of {@code status}. */
  public static String render(ComplianceStatus status) {
    Checks.notNull(status, "status");
    Map<String, Object> page = new HashMap<>();
    page.put("at", instant(status.at()));
    page.put("ledger", ledger(status.ledger()));
    List<Map<String, Object>> purposes = new ArrayList<>();
    List<Object> weekly = new ArrayList<>();
    for (int i = 0; i < status.coverage().size(); i++) {
      ComplianceStatus.Coverage c = status.coverage().get(i);
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("index", i);
      p.put("purpose", c.purpose());
      p.put("allowed", count(c.allowed()));
      p.put("subjects", count(c.subjects()));
      p.put("share", percent(c.allowed(), c.subjects(), "no one"));
      p.put("sentence", count(c.allowed()) + " of " + count(c.subjects()) + " people ("
          + percent(c.allowed(), c.subjects(), "no one") + ") have a lawful basis for "
          + c.purpose() + " now" + (c.notAllowed().isEmpty() ? "." : "; the others: "
              + reasons(c.notAllowed()) + "."));
      purposes.add(p);
      Map<String, Object> chart = new LinkedHashMap<>();
      chart.put("weeks", c.weeks().stream().map(ComplianceStatus.Week::weekOf).toList());
      chart.put("grants", c.weeks().stream().map(ComplianceStatus.Week::grants).toList());
      chart.put("withdrawals", c.weeks().stream().map(ComplianceStatus.Week::withdrawals)
          .toList());
      chart.put("lapses", c.weeks().stream().map(ComplianceStatus.Week::expiries).toList());
      weekly.add(chart);
    }
    page.put("purposes", purposes);
    page.put("runs", runs(status));
    page.put("requests", requests(status.requests()));
    page.put("budgets", budgets(status.budgets()));
    page.put("activations", status.activations().stream().map(a -> Map.of(
        "at", instant(a.at()), "runId", a.runId(), "channel", a.channel(), "actor", a.actor(),
        "allowed", count(a.allowed()), "members", count(a.members()))).toList());
    page.put("hasActivations", !status.activations().isEmpty());
    Map<String, Object> charts = new LinkedHashMap<>();
    charts.put("weekly", weekly);
    charts.put("runs", status.runs().stream().filter(r -> r.allowed() >= 0).map(r -> Map.of(
        "runId", r.runId(), "allowed", r.allowed(),
        "lost", r.lost().values().stream().mapToLong(Long::longValue).sum())).toList());
    charts.put("budgets", status.budgets().stream().map(b -> Map.of("budgetId", b.budgetId(),
        "spent", Math.round(b.spentShare() * 1000) / 10.0)).toList());
    page.put("chartData", json(charts));
    page.put("echarts", Assets.echarts());
    return Assets.template("status").execute(page);
  }

  /** Writes the page of {@code status} to {@code file}. */
  public static void write(ComplianceStatus status, Path file) throws IOException {
    Files.writeString(Checks.notNull(file, "file"), render(status), StandardCharsets.UTF_8);
  }

  private static Map<String, Object> ledger(ComplianceStatus.Ledger l) {
    Map<String, Object> out = new HashMap<>();
    out.put("intact", l.intact());
    out.put("events", count(l.eventsChecked()));
    out.put("head", l.head());
    out.put("checkedFrom", count(l.checkedFrom()));
    out.put("sentence", l.intact()
        ? "The consent ledger's hash chain is intact: no event was altered, removed or "
            + "reordered " + (l.checkedFrom() == 1 ? "(all " + count(l.eventsChecked())
                + " events checked)." : "since the checkpoint at event " + count(l.checkedFrom())
                + " (" + count(l.eventsChecked()) + " events checked; the whole chain is checked "
                + "by privseg consent verify).")
        : "The consent ledger is BROKEN: " + l.problem() + ". Its records cannot be relied on "
            + "until this is explained.");
    return out;
  }

  private static Map<String, Object> runs(ComplianceStatus s) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ComplianceStatus.Run r : s.runs()) {
      Map<String, Object> row = new HashMap<>();
      row.put("runId", r.runId());
      row.put("purpose", r.purpose());
      row.put("registeredAt", r.registeredAt().isEmpty() ? "unknown"
          : instant(r.registeredAt()));
      row.put("members", count(r.members()));
      row.put("allowed", r.allowed() < 0 ? "not decided" : count(r.allowed()));
      row.put("lost", r.allowed() < 0 ? r.undecided() : r.lost().isEmpty() ? "none"
          : reasons(r.lost()));
      row.put("stale", r.stale());
      row.put("pastRetention", r.pastRetention());
      row.put("activations", r.activations() == 0 ? "never" : count(r.activations())
          + ", last " + instant(r.lastActivatedAt()));
      rows.add(row);
    }
    long stale = s.staleRuns().size();
    long past = s.runsPastRetention().size();
    Map<String, Object> out = new HashMap<>();
    out.put("rows", rows);
    out.put("any", !rows.isEmpty());
    out.put("count", count(rows.size()));
    out.put("stale", count(stale));
    out.put("pastRetention", count(past));
    out.put("sentence", rows.isEmpty() ? "No run is registered."
        : count(stale) + " of " + count(rows.size()) + " registered runs "
            + (stale == 1 ? "is" : "are") + " stale: some of "
            + "their members lost their lawful basis since the run, so their segments may be "
            + "used only through an activation check, which leaves those members out. "
            + (past == 0 ? "No run is held past its retention period."
                : count(past) + (past == 1 ? " is" : " are") + " held past the retention "
                    + "period and should be forgotten."));
    return out;
  }

  private static Map<String, Object> requests(ComplianceStatus.Requests q) {
    Map<String, Object> out = new HashMap<>();
    out.put("open", count(q.open()));
    out.put("overdue", count(q.overdue()));
    out.put("dueSoon", count(q.dueSoon()));
    out.put("anyOverdue", q.overdue() > 0);
    out.put("any", !q.awaiting().isEmpty());
    out.put("rows", q.awaiting().stream().map(r -> Map.of("requestId", r.requestId(),
        "type", words(r.type()), "status", words(r.status()), "receivedAt",
        instant(r.receivedAt()), "dueAt", r.dueAt().isEmpty() ? "none"
            : instant(r.dueAt()), "overdue", r.overdue())).toList());
    out.put("sentence", q.open() == 0 ? "No subject request awaits its answer."
        : count(q.open()) + " subject request" + (q.open() == 1 ? " awaits" : "s await")
            + " an answer; " + (q.overdue() == 0 ? "none is" : count(q.overdue()) + " "
                + (q.overdue() == 1 ? "is" : "are")) + " past the legal time limit, and "
            + count(q.dueSoon()) + " fall due within a week.");
    return out;
  }

  private static Map<String, Object> budgets(List<BudgetStatus> budgets) {
    Map<String, Object> out = new HashMap<>();
    out.put("any", !budgets.isEmpty());
    out.put("rows", budgets.stream().map(b -> Map.of("budgetId", b.budgetId(),
        "spent", b.spentEpsilon(), "total", b.epsilon(), "delta", b.delta(),
        "share", String.format(Locale.ROOT, "%.1f %%", 100 * b.spentShare()),
        "releases", count(b.releases()))).toList());
    return out;
  }

  private static String reasons(Map<String, Long> counts) {
    List<String> parts = new ArrayList<>();
    new java.util.TreeMap<>(counts).forEach((reason, n) ->
        parts.add(count(n) + " " + REASONS.getOrDefault(reason, words(reason))));
    return String.join(", ", parts);
  }




}
