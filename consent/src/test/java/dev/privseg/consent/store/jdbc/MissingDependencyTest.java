package dev.privseg.consent.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.store.Databases;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stores' optional dependencies, missing, are named as the artifact to add, not met as a
 * {@code NoClassDefFoundError}; and a PostgreSQL user needs no H2. Each case runs in a child JVM
 * whose class path lacks the dependency.
 */
class MissingDependencyTest {

  /**
   * What {@link MissingDependencyProbe} prints last, run without the class path entries that
   * contain {@code without}.
   */
  static String probe(String without, String... args) throws Exception {
    String classPath = Arrays.stream(System.getProperty("java.class.path")
            .split(File.pathSeparator))
        .filter(entry -> !entry.contains(without))
        .collect(Collectors.joining(File.pathSeparator));
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath,
        MissingDependencyProbe.class.getName()));
    command.addAll(List.of(args));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return out.lines().filter(l -> !l.startsWith("SLF4J"))
        .reduce((a, b) -> b).orElse("");
  }

  @Test
  void withoutH2TheEmbeddedDatabaseNamesTheArtifact(@TempDir Path dir) throws Exception {
    assertThat(probe("h2database", "h2", dir.resolve("db").toString())).isEqualTo(
        "dev.privseg.consent.ConsentException: the embedded H2 consent database needs "
            + "com.h2database:h2 on the class path (see the README's 'Use it from Maven' for the "
            + "versions tested)");
  }

  @Test
  void withoutFlywayEveryDatabaseNamesTheArtifact(@TempDir Path dir) throws Exception {
    assertThat(probe("flywaydb", "h2", dir.resolve("db").toString())).isEqualTo(
        "dev.privseg.consent.ConsentException: a consent database needs "
            + "org.flywaydb:flyway-core (and, for PostgreSQL, "
            + "org.flywaydb:flyway-database-postgresql) on the class path (see the README's "
            + "'Use it from Maven' for the versions tested)");
  }

  @Test
  void aPostgresUserNeedsNoH2() throws Exception {
    String url = Databases.postgresUrl();
    assertThat(probe("h2database", "postgres", url)).isEqualTo("OK");
  }
}
