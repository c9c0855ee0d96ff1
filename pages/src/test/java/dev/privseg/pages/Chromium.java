package dev.privseg.pages;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian's {@code chromium}, which {@code .ci/run} installs): a page's DOM
 * after its scripts ran, and a screenshot. Without Chromium a test is skipped, saying so, except
 * under {@code CI=true}, where it fails.
 */
final class Chromium {
  private Chromium() {}

  /** Skips (or fails on CI) when there is no Chromium. */
  static void require() {
    boolean present = run(List.of("chromium", "--version"), 30) != null;
    if (!present && "true".equals(System.getenv("CI"))) {
      fail("chromium is not installed: pages cannot be rendered in a browser (apt-get install "
          + "chromium; .ci/run does)");
    }
    assumeTrue(present, "chromium is not installed: pages are not rendered in a browser "
        + "(apt-get install chromium)");
  }

  /** The DOM of {@code page} once loaded and its scripts ran, serialized. */
  static String dom(Path page) {
    String out = run(command("--dump-dom", page.toUri().toString()), 120);
    if (out == null || !out.contains("</html>")) {
      fail("chromium did not render " + page);
    }
    return out;
  }

  /** A screenshot of {@code page}, {@code width} x {@code height}, into {@code png}. */
  static void screenshot(Path page, Path png, int width, int height) throws IOException {
    Files.createDirectories(png.toAbsolutePath().getParent());
    run(command("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + ","
        + height, page.toUri().toString()), 120);
    if (!Files.isRegularFile(png) || Files.size(png) < 1_000) {
      fail("chromium made no screenshot of " + page);
    }
  }

  private static List<String> command(String... args) {
    List<String> c = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
        "--virtual-time-budget=5000"));
    c.addAll(List.of(args));
    return c;
  }

  /** Runs {@code command}; its standard output, or null if it could not run or failed. */
  private static String run(List<String> command, int seconds) {
    try {
      Path err = Files.createTempFile("chromium", ".err");
      try {
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return null;
        }
        return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
      } finally {
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
