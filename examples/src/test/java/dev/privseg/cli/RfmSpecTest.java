package dev.privseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.privseg.examples.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spec selects RFM segmentation. The input is per-customer recency, frequency and monetary
 * value derived from the real telco churn data (as {@code RealDataRfmTest} explains: billed in
 * the snapshot month, or the month before for customers who left; tenure months; total charges).
 */
class RfmSpecTest {

  @Test
  void aSpecCanSegmentCustomersByRfmScores(@TempDir Path dir) throws IOException {
    Path telco = SharedData.file("telco_churn.csv");
    Path input = dir.resolve("rfm.csv");
    List<String> everyone = new ArrayList<>();
    try (var in = Files.newBufferedReader(telco);
        var out = new CSVPrinter(Files.newBufferedWriter(input), CSVFormat.DEFAULT.builder()
            .setHeader("customer_id", "recency_days", "frequency", "monetary").get())) {
      for (CSVRecord row : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
          .get().parse(in)) {
        if (row.get("tenure").equals("0")) {
          continue; // no bill yet
        }
        everyone.add(row.get("customer_id"));
        out.printRecord(row.get("customer_id"), row.get("churn").equals("Yes") ? 30 : 0,
            row.get("tenure"), row.get("total_charges"));
      }
    }
    Files.write(dir.resolve("allowed.txt"), everyone);
    Path spec = dir.resolve("rfm.yaml");
    Files.writeString(spec, """
        input: {path: rfm.csv, format: csv}
        schema:
          subjectId: customer_id
          fields:
            - {name: customer_id, type: IDENTIFIER, role: DIRECT_IDENTIFIER}
            - {name: recency_days, type: INTEGER, role: OTHER, required: true}
            - {name: frequency, type: INTEGER, role: OTHER, required: true}
            - {name: monetary, type: NUMERIC, role: OTHER, required: true}
        purpose:
          id: marketing-segmentation
          description: Retention offers by purchase behaviour
          lawfulBasis: CONSENT
        lawfulBasis:
          allowedSubjects: allowed.txt
        minimize:
          keep: [recency_days, frequency, monetary]
        pseudonymize:
          field: customer_id
          key: {ephemeral: true}
        segmentation:
          algorithm: rfm
          rfm: {recency: recency_days, frequency: frequency, monetary: monetary}
        release:
          minSegmentSize: 25
        """);

    CliTest.Result r = CliTest.run("run", spec.toString(), "--out", dir.resolve("out").toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode report = new ObjectMapper().readTree(dir.resolve("out/report.json").toFile());
    assertThat(report.at("/segmentation/algorithm").asText())
        .isEqualTo("RFM quintile scores with named segments");
    assertThat(report.at("/segmentation/details/segmentNames").toString()).isEqualTo(
        "[\"champions\",\"loyal\",\"new\",\"at risk\",\"hibernating\",\"needs attention\"]");
    assertThat(report.at("/counts/processedRows").asInt()).isEqualTo(7032);
    assertThat(report.at("/release/assignments").asInt()).isEqualTo(7032);
  }
}
