package dev.privseg.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.core.report.ProcessingRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's record as a page, rendered in headless Chromium, for three real records (the demo's
 * exact k-means; the telco sample 25-anonymous; the telco sample with DP k-means and DP
 * profiles): the funnel and every exclusion by reason, segment sizes against the minimum, the
 * risk before and after, the budget spent, each guarantee as a sentence, the charts drawn; no raw
 * key, no 17-digit float, no NaN. Screenshots are kept in {@code target/screenshots}.
 */
class RecordPageTest {
  static final List<String> RECORDS = List.of("demo", "telco-anonymized", "telco-dp");
  @TempDir
  static Path dir;
  static final Map<String, ProcessingRecord> records = new HashMap<>();
  static final Map<String, String> doms = new HashMap<>();
  static final Map<String, String> texts = new HashMap<>();

  @BeforeAll
  static void render() throws Exception {
    Chromium.require();
    for (String name : RECORDS) {
      ProcessingRecord record = ProcessingRecord.fromJson(fixture(name));
      Path page = dir.resolve(name + ".html");
      RecordPage.write(record, page);
      records.put(name, record);
      doms.put(name, Chromium.dom(page));
      texts.put(name, StatusPageTest.visibleText(doms.get(name)));
      Chromium.screenshot(page, Path.of("target/screenshots/record-" + name + ".png"), 1280,
          3600);
    }
  }

  @Test
  void theFunnelShowsEveryExclusionByReasonInWords() {
    assertThat(texts.get("demo")).contains("Processing record: marketing-segmentation",
        "76.6 %", "76,629 of 100,000 rows processed",
        "100,000 rows were read; 0 were rejected as malformed, 23,371 excluded for lack of a "
            + "lawful basis; 76,629 (76.6 %) were segmented and assigned.",
        "consent lapsed", "8,340", "consent withdrawn", "6,057",
        "no lawful basis (never consented)", "8,974");
    assertThat(texts.get("telco-anonymized")).contains("suppressed (too rare to release)");
  }

  @Test
  void segmentsAreShownAgainstTheReleaseMinimum() {
    assertThat(texts.get("demo")).contains("6 segments", "smallest 4,885",
        "profiles only for segments of at least 25", "23,075");
    assertThat(texts.get("telco-dp")).contains("Profiles were released for 3 of 5 segments",
        "no, too small");
  }

  @Test
  void theRiskBeforeAndAfterAndTheBudgetAreFigures() {
    assertThat(texts.get("telco-anonymized")).contains("Re-identification risk",
        "11.1 %", "2.3 %", "k = 44", "above 20.0 %", "k-anonymity (k)", "Prosecutor risk");
    assertThat(texts.get("demo")).doesNotContain("Re-identification risk", "ε (epsilon)");
    assertThat(texts.get("telco-dp")).contains("ε 2 of 2", "Differential privacy",
        "each release spends ε 1", "ε (epsilon)");
  }

  @Test
  void everyGuaranteeIsASentence() {
    for (String name : RECORDS) {
      for (String g : records.get(name).guarantees()) {
        String text = g.substring(g.indexOf(": ") + 2).replaceAll("\\s+", " ")
            .replaceAll("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z", "");
        for (String part : text.split("  ")) {
          assertThat(texts.get(name)).as(name).contains(part.strip());
        }
      }
    }
    assertThat(texts.get("demo")).contains("Purpose limitation", "every row was processed");
  }

  @Test
  void theChartsAreDrawn() {
    for (String name : RECORDS) {
      for (String id : name.equals("telco-anonymized")
          ? List.of("funnel-chart", "sizes-chart", "risk-chart")
          : List.of("funnel-chart", "sizes-chart")) {
        assertThat(Pattern.compile("id=\"" + id + "\"[^>]*>\\s*<div[^>]*>\\s*<svg",
            Pattern.DOTALL).matcher(doms.get(name)).find()).as("%s %s", name, id).isTrue();
      }
    }
    assertThat(texts.get("demo")).contains("release minimum 25", "with a lawful basis",
        "assigned");
  }

  @Test
  void noRawKeyNoLongFloatNoNan() {
    for (String name : RECORDS) {
      assertThat(texts.get(name)).as(name)
          .doesNotContain("NaN", "undefined", "inputRows", "excludedByGate", "segmentSizes",
              "stageMillis", "profileMechanism", "{{", "}}", "CONSENT_EXPIRED")
          .doesNotContainPattern("[0-9]\\.[0-9]{7,}")
          .doesNotContainPattern("\\bC[0-9]+\\b");
    }
  }

  @Test
  void whatTheRecordSaysIsEscapedNeverRunAsMarkup() throws Exception {
    ProcessingRecord hostile = ProcessingRecord.fromJson(fixture("demo").replace(
        "Grouping customers by similar characteristics to tailor marketing communications",
        "<script>document.title='owned'</script><b>bold</b>"));
    String html = RecordPage.render(hostile);
    assertThat(html.contains("&lt;script&gt;document.title")).isTrue();
    assertThat(html.contains("&lt;b&gt;bold&lt;/b&gt;")).isTrue();
    assertThat(html.contains("<b>bold</b>")).isFalse();
    Path page = dir.resolve("hostile.html");
    java.nio.file.Files.writeString(page, html);
    String dom = Chromium.dom(page);
    assertThat(dom.contains("<title>owned</title>") || dom.contains("<b>bold</b>")).isFalse();
  }

  private static String fixture(String name) throws IOException {
    try (InputStream in = RecordPageTest.class.getResourceAsStream("/records/" + name
        + ".json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
