package dev.privseg.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.anonymization.search.GeneralizationResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnonymizeAdultTest {
  @Test
  void theExampleWritesMicrodataAndASchemeAndStatesWhatHolds(@TempDir Path out)
      throws IOException {
    Path dir = SharedData.file("arx-adult/adult.csv").getParent();
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    GeneralizationResult r = AnonymizeAdult.run(dir, 5, out,
        new PrintStream(log, true, StandardCharsets.UTF_8));

    assertThat(r.achievedK()).isGreaterThanOrEqualTo(5);
    assertThat(Files.readAllLines(out.resolve("microdata.csv")))
        .hasSize(1 + 30_162 - r.suppressedRows());
    assertThat(Files.readString(out.resolve("scheme.json")))
        .contains("privseg-generalization-scheme/1");
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("5-anonymity holds");
  }
}
