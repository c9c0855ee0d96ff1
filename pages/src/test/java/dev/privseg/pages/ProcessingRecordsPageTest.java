package dev.privseg.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.DpiaEvidence;
import dev.privseg.consent.RecordsOfProcessing;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The records of processing and a DPIA's evidence as pages, rendered in headless Chromium:
 * every field of the register in words, the runs as evidence with their digests, the risk
 * before and after as figures and a chart, the requests served; no raw key, no NaN.
 */
class ProcessingRecordsPageTest {
  static final RecordsOfProcessing.Activity ACTIVITY = new RecordsOfProcessing.Activity(
      "marketing-segmentation", "Offers by segment", "CONSENT",
      List.of("customers who consented to offers"), List.of("tenure", "contract"), List.of(),
      List.of("churn", "female"), Map.of("total_charges", "top-coded at 8000"),
      List.of("e-mail service provider (processor)"), List.of(),
      List.of("registered runs and their segment memberships are kept for P90D, then forgotten"),
      List.of("pseudonymisation: customer_id replaced by HMAC-SHA256 pseudonyms"),
      List.of(new RecordsOfProcessing.RunEvidence("2b0c3f6e-8f0a-4b7e-9d55-0f6c3a1d2e4f",
          "2026-11-01T09:00:00Z", "ab".repeat(32), 7043, 6189, Map.of("NO_BASIS", 854L),
          List.of("purpose limitation: every row was processed for one purpose"))));
  @TempDir
  static Path dir;
  static String ropa;
  static String dpia;
  static String dpiaDom;

  @BeforeAll
  static void render() throws Exception {
    Chromium.require();
    Path ropaPage = dir.resolve("ropa.html");
    ProcessingRecordsPage.write(new RecordsOfProcessing("2026-12-01T09:00:00Z",
        "Example Retail Ltd", "privacy@example.com", "dpo@example.com", List.of(ACTIVITY)),
        ropaPage);
    ropa = StatusPageTest.visibleText(Chromium.dom(ropaPage));
    Chromium.screenshot(ropaPage, Path.of("target/screenshots/ropa.png"), 1280, 1600);
    Path dpiaPage = dir.resolve("dpia.html");
    ProcessingRecordsPage.write(new DpiaEvidence("marketing-segmentation",
        "2026-12-01T09:00:00Z", ACTIVITY, List.of(new DpiaEvidence.RunRisk(
            "2b0c3f6e-8f0a-4b7e-9d55-0f6c3a1d2e4f", "full-domain generalization",
            Map.of("prosecutorHighest", 0.111111, "prosecutorAverage", 0.011795),
            Map.of("prosecutorHighest", 0.022727, "prosecutorAverage", 0.01165), 0.2, 9,
            Map.of("k", 44))), List.of("purpose limitation: every row was processed for one "
            + "purpose"), new DpiaEvidence.RequestsServed(Map.of("ACCESS", 3L, "ERASURE", 1L),
            3, 1, 1, 0)), dpiaPage);
    dpiaDom = Chromium.dom(dpiaPage);
    dpia = StatusPageTest.visibleText(dpiaDom);
    Chromium.screenshot(dpiaPage, Path.of("target/screenshots/dpia.png"), 1280, 1800);
  }

  @Test
  void theRegisterStatesEveryFieldInWordsWithItsRunsAsEvidence() {
    assertThat(ropa).contains("Records of processing activities",
        "Controller: Example Retail Ltd (privacy@example.com). Data-protection officer: "
            + "dpo@example.com.", "marketing-segmentation: Offers by segment", "consent",
        "customers who consented to offers", "tenure; contract", "churn; female",
        "total_charges: top-coded at 8000", "e-mail service provider (processor)",
        "none outside the EEA", "kept for P90D", "HMAC-SHA256 pseudonyms",
        "Runs as evidence (1)", "2026-11-01 09:00 UTC", "6,189 of 7,043", "ab".repeat(32));
  }

  @Test
  void theDpiaShowsTheRiskBeforeAndAfterAndTheRequestsServed() {
    assertThat(dpia).contains("11.1 %", "2.3 %", "1.2 %", "20.0 %", "k = 44",
        "4 subject requests were received; 3 answered (1 after the legal time limit), 1 open "
            + "(0 overdue).", "access", "erasure", "purpose limitation");
    assertThat(Pattern.compile("id=\"risk-chart\"[^>]*>\\s*<div[^>]*>\\s*<svg", Pattern.DOTALL)
        .matcher(dpiaDom).find()).isTrue();
  }

  @Test
  void noRawKeyNoNan() {
    for (String text : List.of(ropa, dpia)) {
      assertThat(text).doesNotContain("NaN", "undefined", "subjectCategories", "dataMinimised",
          "prosecutorHighest", "answeredLate", "{{", "}}");
    }
  }
}
