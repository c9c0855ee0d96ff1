package dev.privseg.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.core.LawfulBasis;
import dev.privseg.core.Purpose;
import dev.privseg.core.Segmentation;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.report.ProcessingRecord;
import dev.privseg.core.segment.kmeans.KMeans;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordHtmlTest {

  @Test
  void theHtmlPageShowsTheGuaranteesAndEverySectionWithAllTextEscaped() {
    Purpose purpose = Purpose.of("offers", "Offers <script>alert(1)</script> & \"more\"",
        LawfulBasis.CONSENT);
    SegmentationRun run = Segmentation.forPurpose(purpose)
        .lawfulBasis(LawfulBasisGate.allowList(PipelineProperties.allowed(200, 3, 70)))
        .minimize(m -> m.keep("age", "region", "spend"))
        .pseudonymize("customer_id", Pseudonymizer.hmacSha256(KeyProvider.ephemeral()))
        .segmentWith(KMeans.clusters(3).seed(1))
        .build().run(TestCustomers.generate(200, 5));
    ProcessingRecord record = run.report();

    String html = record.toHtml();

    assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n")
        .contains("<title>Processing record " + record.runId() + "</title>")
        .contains("Offers &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;")
        .doesNotContain("<script>")
        .doesNotContain("http://").doesNotContain("https://"); // loads nothing from elsewhere
    for (String g : record.guarantees()) {
      assertThat(html).contains("<li>" + g.replace("&", "&amp;").replace("<", "&lt;")
          .replace(">", "&gt;").replace("'", "&#39;").replace("\"", "&quot;") + "</li>");
    }
    for (String heading : List.of("Guarantees", "Purpose and lawful basis", "What was processed",
        "Fields: minimization", "Pseudonymization", "Segmentation", "Release",
        "Time per stage (ms)")) {
      assertThat(html).contains("<h2>" + heading + "</h2>");
    }
    // Every top-level field of the record has its place: no section under a raw field name.
    assertThat(html.split("<h2>", -1)).hasSize(1 + 9);
    assertThat(html).contains("<h2>Anonymization</h2>\n<p>None in this run.</p>")
        .contains("<th>processedRows</th><td>" + record.counts().processedRows() + "</td>")
        .contains("<th>inertia</th>");
  }
}
