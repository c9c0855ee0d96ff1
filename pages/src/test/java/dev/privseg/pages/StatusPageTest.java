package dev.privseg.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.ComplianceStatus;
import dev.privseg.core.release.BudgetStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page rendered in headless Chromium: the figures a DPO must see are on it, formatted
 * and in words (consent per purpose, the stale run, the overdue request, the budget), the charts
 * are drawn with their labels, and the page shows no raw key, no NaN and no personal value. A
 * screenshot is kept in {@code target/screenshots}.
 */
class StatusPageTest {
  static final ComplianceStatus STATUS = new ComplianceStatus("2026-03-02T09:00:00Z",
      new ComplianceStatus.Ledger(true, 1, 1234, "1234:" + "ab".repeat(32), ""),
      List.of(new ComplianceStatus.Coverage("marketing-segmentation", 1000, 812,
          Map.of("CONSENT_WITHDRAWN", 120L, "CONSENT_EXPIRED", 60L, "OBJECTED", 8L), List.of(
              new ComplianceStatus.Week("2026-02-09", 40, 3, 0),
              new ComplianceStatus.Week("2026-02-16", 12, 9, 21),
              new ComplianceStatus.Week("2026-02-23", 7, 14, 2),
              new ComplianceStatus.Week("2026-03-02", 1, 0, 0)))),
      List.of(new ComplianceStatus.Run("2b0c3f6e-8f0a-4b7e-9d55-0f6c3a1d2e4f",
              "marketing-segmentation", "2026-01-10T08:00:00Z", 950, 801,
              Map.of("CONSENT_WITHDRAWN", 110L, "CONSENT_EXPIRED", 39L), true, true, 2,
              "2026-02-20T10:00:00Z", ""),
          new ComplianceStatus.Run("7d1e2f3a-0000-4000-8000-000000000001", "churn", "", 40, -1,
              Map.of(), false, false, 0, "", "run 7d1e2f3a is for purpose 'churn', for which no "
                  + "policy is given: its members cannot be decided")),
      List.of(new ComplianceStatus.Activated("a-1", "2b0c3f6e-8f0a-4b7e-9d55-0f6c3a1d2e4f",
          "email", "crm-export", "2026-02-20T10:00:00Z", 950, 820)),
      new ComplianceStatus.Requests(2, 1, 0, List.of(
          new ComplianceStatus.Request("r-1", "ACCESS", "OPEN", "2026-01-05T09:00:00Z",
              "2026-02-06T00:00:00Z", true),
          new ComplianceStatus.Request("r-2", "ERASURE", "OPEN", "2026-03-01T09:00:00Z",
              "2026-04-02T00:00:00Z", false))),
      List.of(new BudgetStatus("crm-profiles", "2", "0", "3/4", 0.375, 3)));

  @TempDir
  static Path dir;
  static String dom;
  static String text;

  @BeforeAll
  static void render() throws Exception {
    Chromium.require();
    Path page = dir.resolve("status.html");
    StatusPage.write(STATUS, page);
    dom = Chromium.dom(page);
    text = visibleText(dom);
    Chromium.screenshot(page, Path.of("target/screenshots/status.png"), 1280, 2600);
  }

  @Test
  void theSummaryAndTheSentencesCarryTheFiguresInWords() {
    assertThat(text).contains("Intact", "consent ledger, 1,234 events checked", "81.2 %",
        "812 of 1,000 with a lawful basis for marketing-segmentation",
        "812 of 1,000 people (81.2 %) have a lawful basis for marketing-segmentation now; the "
            + "others: 60 let consent lapse, 120 withdrew consent, 8 objected.",
        "1 of 2 registered runs is stale", "1 is held past the retention period",
        "2 subject requests await an answer; 1 is past the legal time limit",
        "1 overdue", "The consent ledger's hash chain is intact");
  }

  @Test
  void theTablesListTheRunsRequestsActivationsAndBudgets() {
    assertThat(text).contains("2b0c3f6e-8f0a-4b7e-9d55-0f6c3a1d2e4f", "801",
        "39 let consent lapse, 110 withdrew consent", "stale past retention",
        "2, last 2026-02-20 10:00 UTC", "not decided", "no policy is given",
        "access", "erasure", "overdue", "crm-export", "820",
        "crm-profiles", "3/4", "37.5 %");
  }

  @Test
  void theChartsAreDrawnWithTheirLabels() {
    for (String id : List.of("weekly-0", "runs-chart", "budgets-chart")) {
      Matcher m = Pattern.compile("id=\"" + id + "\"[^>]*>\\s*<div[^>]*>\\s*<svg", Pattern.DOTALL)
          .matcher(dom);
      assertThat(m.find()).as("an SVG chart in %s", id).isTrue();
    }
    assertThat(text).contains("2026-02-16", "Consents given", "Withdrawn", "Lapsed",
        "Basis holds", "Lost since the run", "2b0c3f6e", "37.5 %");
  }

  @Test
  void noRawKeyNoNanNoPersonalValue() {
    assertThat(text).doesNotContain("NaN", "undefined", "null", "notAllowed", "eventsChecked",
        "pastRetention", "lastActivatedAt", "CONSENT_WITHDRAWN", "spentShare", "{{", "}}")
        .doesNotContainPattern("\\bC[0-9]+\\b");
  }

  /** The page's text as a reader sees it: scripts and styles dropped, then every tag. */
  static String visibleText(String html) {
    return html.replaceAll("(?s)<script.*?</script>", " ")
        .replaceAll("(?s)<style.*?</style>", " ")
        .replaceAll("(?s)<[^>]+>", " ")
        .replace("&amp;", "&").replace("&#39;", "'").replace("&quot;", "\"")
        .replace("&lt;", "<").replace("&gt;", ">")
        .replaceAll("\\s+", " ");
  }
}
