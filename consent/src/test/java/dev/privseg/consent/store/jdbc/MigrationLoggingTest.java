package dev.privseg.consent.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrating a consent database logs through the host's SLF4J backend (slf4j-simple writes to
 * standard error here), never to standard output, which belongs to the host (the CLI prints its
 * summary there).
 */
class MigrationLoggingTest {
  @Test
  void migratingWritesNothingToStandardOutput(@TempDir Path dir) {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (ConsentDatabase db = ConsentDatabase.h2(dir)) {
      assertThat(db).isNotNull();
    } finally {
      System.setOut(out);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8)).isEmpty();
  }
}
