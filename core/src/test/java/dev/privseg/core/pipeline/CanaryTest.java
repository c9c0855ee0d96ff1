package dev.privseg.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.SubjectId;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.io.CsvReader;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.kmeans.KMeans;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the pipeline on recognisable personal values ("canaries") with DEBUG logging and checks
 * that none of them reaches logs, exception messages, toString() output or the report.
 */
class CanaryTest {
  static final String CANARY_ID = "CANARY-ID-7431";
  static final String CANARY_EMAIL = "canary.person@canary-mail.example";
  static final String CANARY_TEXT = "CANARY-POSTCODE-XQ9";

  static final Schema SCHEMA = Schema.builder()
      .subjectId("customer_id")
      .field("email", FieldType.IDENTIFIER, PrivacyRole.DIRECT_IDENTIFIER)
      .field("postcode", FieldType.TEXT, PrivacyRole.QUASI_IDENTIFIER)
      .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
      .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .build();

  static Dataset data() {
    DatasetBuilder b = Dataset.builder(SCHEMA);
    for (int i = 0; i < 60; i++) {
      b.setText(0, i == 0 ? CANARY_ID : CANARY_ID + "-" + i);
      b.setText(1, i + "." + CANARY_EMAIL);
      b.setText(2, CANARY_TEXT + i);
      b.setNumber(3, 100 + i);
      b.setNumber(4, 20 + i % 40);
      b.endRow();
    }
    return b.build();
  }

  @Test
  void noCanaryReachesLogsExceptionsToStringOrReport() throws Exception {
    List<String> seen = new ArrayList<>();
    PrintStream originalErr = System.err;
    PrintStream originalOut = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    System.setErr(capture);
    System.setOut(capture);
    try {
      Dataset data = data();
      List<String> allowed = new ArrayList<>();
      for (int i = 0; i < 60; i += 3) {
        allowed.add(i == 0 ? CANARY_ID : CANARY_ID + "-" + i);
      }
      SegmentationPipeline pipeline = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
          .lawfulBasis(LawfulBasisGate.allowList(allowed))
          .minimize(m -> m.keep("spend", "age"))
          .pseudonymize("customer_id", Pseudonymizer.hmacSha256(KeyProvider.ephemeral()))
          .segmentWith(KMeans.clusters(2).seed(1))
          .build();
      SegmentationRun run = pipeline.run(data);

      seen.add(run.toString());
      seen.add(run.report().toJson());
      seen.add(run.report().toString());
      seen.add(run.profiles().toString());
      seen.add(run.assignments().toString());
      seen.add(data.toString());
      data.columns().forEach(c -> seen.add(c.toString()));
      seen.add(SubjectId.of(CANARY_ID).toString());
      seen.add(pipeline.toString());
      StringWriter profiles = new StringWriter();
      run.profiles().writeCsv(profiles);
      seen.add(profiles.toString());
      StringWriter assignments = new StringWriter();
      run.assignments().writeCsv(assignments);
      seen.add(assignments.toString());

      // Errors that involve personal values.
      seen.add(message(() -> CsvReader.defaults().read(new StringReader(
          "customer_id,email,postcode,spend,age\n" + CANARY_ID + ",x,y," + CANARY_TEXT + ",3\n"),
          SCHEMA)));
      seen.add(message(() -> CsvReader.defaults().read(new StringReader(
          "customer_id,email,postcode,spend,age\n" + CANARY_ID + ",x,y,1," + CANARY_EMAIL
              + "\n"), SCHEMA)));
      seen.add(message(() -> Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
          .lawfulBasis(LawfulBasisGate.allowList(allowed))
          .minimize(m -> m.keep("postcode"))
          .pseudonymize("customer_id", Pseudonymizer.hmacSha256(KeyProvider.ephemeral()))
          .segmentWith(KMeans.clusters(2)).build().run(data)));
    } finally {
      System.setErr(originalErr);
      System.setOut(originalOut);
    }
    String console = captured.toString(StandardCharsets.UTF_8);
    String logs = java.nio.file.Files.readString(java.nio.file.Path.of("target/privseg-test.log"));
    seen.add(console);
    seen.add(logs);

    assertThat(logs).as("DEBUG logging was on and produced lines").contains("stage");
    for (String text : seen) {
      assertThat(text).doesNotContain("CANARY").doesNotContain("canary");
    }
  }

  private static String message(ThrowingRunnable r) {
    Throwable t = catchThrowable(r::run);
    assertThat(t).isNotNull();
    StringBuilder all = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      all.append(c).append('\n');
    }
    return all.toString();
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
