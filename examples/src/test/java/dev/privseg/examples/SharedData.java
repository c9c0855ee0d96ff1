package dev.privseg.examples;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the real datasets in {@code ../shared/data}; skips the test with a message if absent. */
public final class SharedData {
  private SharedData() {}

  /** The path of {@code name} in the shared data folder; skips the calling test if missing. */
  public static Path file(String name) {
    String dir = System.getProperty("privseg.shared.data", "../../shared/data");
    Path path = Path.of(dir).resolve(name).normalize();
    assumeTrue(Files.isRegularFile(path),
        () -> "SKIPPED: shared dataset " + path + " is absent (../shared/data not present)");
    return path;
  }
}
