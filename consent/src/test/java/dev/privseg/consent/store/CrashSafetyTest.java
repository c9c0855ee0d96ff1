package dev.privseg.consent.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.store.jdbc.JdbcLedgerStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A process killed in the middle of appending leaves a ledger that opens, verifies, and holds
 * whole batches only: a real child JVM appends batches until it is killed with
 * {@code destroyForcibly}.
 */
class CrashSafetyTest {

  @Test
  void killedH2AppenderLeavesWholeBatchesAndAValidChain() throws Exception {
    Path dir = Files.createTempDirectory("privseg-crash-h2");
    long committed = runAndKill(List.of("h2", dir.toString()));

    try (JdbcLedgerStore store = JdbcLedgerStore.h2(dir)) {
      assertWholeBatches(store, committed);
    }
  }

  @Test
  void killedPostgresAppenderLeavesWholeBatchesAndAValidChain() throws Exception {
    String url = Databases.postgresUrl();
    String schema = "privseg_crash_" + System.nanoTime();
    PGSimpleDataSource admin = new PGSimpleDataSource();
    admin.setURL(url);
    try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    long committed = runAndKill(List.of("postgres", url, schema));

    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(url);
    ds.setCurrentSchema(schema);
    try (JdbcLedgerStore store = JdbcLedgerStore.open(ds, "PostgreSQL crash test")) {
      assertWholeBatches(store, committed);
    }
  }

  @Test
  void anH2DatabaseAnotherProcessHoldsIsNamedAsInUse() throws Exception {
    Path dir = Files.createTempDirectory("privseg-h2-in-use");
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), CrashingAppender.class.getName(), "h2",
        dir.toString());
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.startsWith("committed "));
      assertThat(line).as("the child opened the database").isNotNull();

      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> dev.privseg.consent.store.jdbc.ConsentDatabase.h2(dir))
          .isInstanceOf(dev.privseg.consent.ConsentException.class)
          .hasMessageStartingWith("the H2 consent database in " + dir.getFileName()
              + " is in use by another process: an embedded H2 database opens in one process "
              + "at a time");
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** Starts the child, waits for some committed batches, kills it; returns batches it reported. */
  private static long runAndKill(List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), CrashingAppender.class.getName()));
    command.addAll(args);
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    long committed = 0;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("committed ")) {
          committed = Long.parseLong(line.substring(10));
          if (committed >= 8) {
            // Kill at a moment unrelated to batch boundaries: the child is inside its next
            // append most of the time.
            Thread.sleep(System.nanoTime() % 40);
            child.destroyForcibly();
            break;
          }
        }
      }
    }
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(committed).as("child appended before it was killed").isGreaterThanOrEqualTo(8);
    return committed;
  }

  private static void assertWholeBatches(LedgerStore store, long reportedCommitted) {
    // Verifying needs no key (the child keyed subjects with its own).
    dev.privseg.consent.ledger.Verification verified = ConsentLedger.verify(store);
    assertThat(verified.intact()).as(verified.problem()).isTrue();
    Map<String, Integer> perBatch = new HashMap<>();
    store.scan(e -> perBatch.merge(e.proofReference(), 1, Integer::sum));
    assertThat(perBatch.values()).allMatch(n -> n == CrashingAppender.BATCH);
    // Durability: every batch the child reported committed is there (it may have committed more
    // between its last report and the kill).
    assertThat((long) perBatch.size()).isGreaterThanOrEqualTo(reportedCommitted);
    assertThat(store.size()).isEqualTo(perBatch.size() * (long) CrashingAppender.BATCH);
  }
}
