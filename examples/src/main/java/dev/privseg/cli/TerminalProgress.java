package dev.privseg.cli;

import dev.privseg.core.pipeline.RunListener;
import dev.privseg.core.pipeline.Stage;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * Shows stage progress on a terminal, rewriting one line with carriage returns. Used only when a
 * console is attached, so piped output and logs stay clean.
 */
final class TerminalProgress implements RunListener {
  private final PrintWriter err;
  private long lastPrint;

  TerminalProgress(PrintWriter err) {
    this.err = err;
  }

  static RunListener forConsole(PrintWriter err) {
    return System.console() != null ? new TerminalProgress(err) : RunListener.NONE;
  }

  @Override
  public void stageStarted(Stage stage) {
    err.print("\r" + pad(stage.name().toLowerCase(Locale.ROOT) + " ..."));
    err.flush();
  }

  @Override
  public void progress(Stage stage, long done, long total) {
    long now = System.nanoTime();
    if (now - lastPrint > 100_000_000L && total > 0) {
      lastPrint = now;
      err.print("\r" + pad(String.format(Locale.ROOT, "%s %d%%",
          stage.name().toLowerCase(Locale.ROOT), 100 * done / total)));
      err.flush();
    }
  }

  @Override
  public void stageFinished(Stage stage, Duration elapsed) {
    err.print("\r" + pad(""));
    err.print("\r");
    err.flush();
  }

  private static String pad(String s) {
    return String.format("%-40s", s);
  }
}
