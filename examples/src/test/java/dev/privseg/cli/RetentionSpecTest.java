package dev.privseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.LongColumn;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.io.CsvWriter;
import dev.privseg.examples.SyntheticCustomers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A spec sets a retention limit, and rows past it reach no output. */
class RetentionSpecTest {

  @Test
  void aSpecsRetentionLimitKeepsOlderRowsOutOfTheRun(@TempDir Path dir) throws IOException {
    Dataset customers = SyntheticCustomers.generate(3_000, 11).customers();
    CsvWriter.write(customers, dir.resolve("customers.csv"));
    StringColumn ids = customers.column("customer_id", StringColumn.class);
    LongColumn signup = customers.column("signup_date", LongColumn.class);
    List<String> everyone = new ArrayList<>();
    long recent = 0;
    // A limit that reaches two years before the data's snapshot, whenever the test runs.
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    long months = java.time.temporal.ChronoUnit.MONTHS.between(
        LocalDate.ofInstant(SyntheticCustomers.AS_OF, ZoneOffset.UTC), today) + 24;
    String period = "P" + months + "M";
    LocalDate cutoff = today.minusMonths(months);
    for (int r = 0; r < ids.size(); r++) {
      everyone.add(ids.get(r));
      if (!LocalDate.ofEpochDay(signup.get(r)).isBefore(cutoff)) {
        recent++;
      }
    }
    Files.write(dir.resolve("allowed.txt"), everyone);
    Path spec = dir.resolve("retention.yaml");
    Files.writeString(spec, """
        input: {path: customers.csv}
        schema:
          subjectId: customer_id
          fields:
            - {name: customer_id, type: IDENTIFIER, role: DIRECT_IDENTIFIER}
            - {name: signup_date, type: DATE, role: OTHER}
            - {name: orders_12m, type: INTEGER, role: OTHER}
            - {name: spend_12m, type: NUMERIC, role: OTHER}
        purpose:
          id: marketing-segmentation
          description: Offers for customers who joined recently
          lawfulBasis: CONSENT
        lawfulBasis:
          allowedSubjects: allowed.txt
        minimize:
          keep: [orders_12m, spend_12m]
          retain: {field: signup_date, period: PERIOD}
        pseudonymize:
          field: customer_id
          key: {ephemeral: true}
        segmentation:
          k: 3
        release:
          minSegmentSize: 10
        """.replace("PERIOD", period));

    CliTest.Result r = CliTest.run("run", spec.toString(), "--out", dir.resolve("out").toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode report = new ObjectMapper().readTree(dir.resolve("out/report.json").toFile());
    assertThat(recent).isBetween(1L, 2_999L); // the limit cuts the population
    assertThat(report.at("/counts/processedRows").asLong()).isEqualTo(recent);
    assertThat(report.at("/counts/excludedByRetention/OLDER_THAN_LIMIT").asLong())
        .isEqualTo(3_000 - recent);
    assertThat(report.at("/release/assignments").asLong()).isEqualTo(recent);
    assertThat(r.out()).contains("retention:  " + String.format(java.util.Locale.ROOT, "%,d",
        3_000 - recent) + " past the limit");
    assertThat(report.at("/fields/retention").asText())
        .startsWith("signup_date within " + period + " before the run, on or after ");

    Files.writeString(spec, Files.readString(spec).replace("period: " + period, "period: 3 years"));
    CliTest.Result bad = CliTest.run("run", spec.toString(), "--out",
        dir.resolve("bad").toString());
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err().strip()).isEqualTo("privseg: spec: minimize.retain.period must be an "
        + "ISO-8601 period such as P3Y or P18M but was '3 years'");
  }
}
