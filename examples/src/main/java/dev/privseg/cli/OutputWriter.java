package dev.privseg.cli;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.report.ProcessingRecord;
import dev.privseg.core.release.SegmentProfile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a run's files (assignments, profiles, the record as JSON and as an HTML page) and
 * prints the human summary.
 */
final class OutputWriter {
  /** The files a run may write; {@code --replace} deletes only these. */
  static final List<String> FILES = List.of("assignments.csv", "profiles.csv", "report.json",
      "report.html", "microdata.csv");

  private OutputWriter() {}

  /**
   * Checks, before a run, that {@code dir} can take its outputs: absent or empty, so that files
   * of different runs never mix (a stale {@code microdata.csv} beside a new report). With
   * {@code replace}, the files an earlier run wrote there are deleted first; a directory that
   * holds anything else is still refused, so nothing of the user's is deleted.
   */
  static void prepare(Path dir, boolean replace) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new ConfigurationException("--out " + dir + " is a file, not a directory");
    }
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> held;
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      held = files.sorted().toList();
    }
    if (held.isEmpty()) {
      return;
    }
    List<Path> foreign = held.stream()
        .filter(p -> !FILES.contains(p.getFileName().toString())).toList();
    if (!replace) {
      throw new ConfigurationException("--out " + dir + " is not empty (it holds " + held.size()
          + " entries): outputs of different runs would mix; choose an empty or new directory, "
          + "or pass --replace to delete an earlier run's outputs there first");
    }
    if (!foreign.isEmpty()) {
      throw new ConfigurationException("--out " + dir + " holds " + foreign.size() + " entries "
          + "that are not a run's outputs (for example " + foreign.get(0).getFileName()
          + "): --replace deletes only " + FILES + "; choose an empty or new directory");
    }
    for (Path p : held) {
      Files.delete(p);
    }
  }

  /**
   * Writes the run's files (and the anonymized microdata if {@code microdata} is set) into
   * {@code dir}: each first to a temporary file beside it, then moved into place, so a failure
   * leaves no half-written output. Returns the files written, in order.
   */
  static List<Path> write(SegmentationRun run, Path dir, boolean microdata) throws IOException {
    return write(dir, staging -> {
      run.assignments().writeCsv(staging.resolve("assignments.csv"));
      run.profiles().writeCsv(staging.resolve("profiles.csv"), run.segmentNames());
      run.report().writeJson(staging.resolve("report.json"));
      dev.privseg.pages.RecordPage.write(run.report(), staging.resolve("report.html"));
      if (microdata) {
        dev.privseg.core.io.CsvWriter.write(run.anonymizedMicrodata().orElseThrow(),
            staging.resolve("microdata.csv"));
      }
    });
  }

  /** Writes a run's files into a directory. */
  interface Outputs {
    /** Writes the files (of {@link #FILES}) into {@code staging}. */
    void writeInto(Path staging) throws IOException;
  }

  /**
   * Has {@code files} write into a temporary directory inside {@code dir}, then moves each file
   * into {@code dir}, so a failure leaves no half-written output. Returns the files written.
   */
  static List<Path> write(Path dir, Outputs files) throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    Path staging = Files.createTempDirectory(dir, ".privseg-writing-");
    try {
      files.writeInto(staging);
      for (String name : FILES) {
        if (Files.exists(staging.resolve(name))) {
          written.add(Files.move(staging.resolve(name), dir.resolve(name),
              java.nio.file.StandardCopyOption.ATOMIC_MOVE));
        }
      }
      return written;
    } finally {
      try (java.util.stream.Stream<Path> left = Files.list(staging)) {
        for (Path p : left.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(staging);
    }
  }

  static void summary(SegmentationRun run, List<Path> written, PrintWriter out) {
    summary(run, written, out, -1);
  }

  /**
   * The run's summary; with {@code readMillis} at least 0, the time line says how long reading
   * the input took besides the run's stages, so users see where the time goes.
   */
  static void summary(SegmentationRun run, List<Path> written, PrintWriter out,
      long readMillis) {
    summary(run.report(), run.profiles(), run.segmentNames(), written, out, readMillis);
  }

  /**
   * The summary of a run's record, profiles and segment names (a run held elsewhere, on Spark,
   * has no local assignments).
   */
  static void summary(ProcessingRecord r, dev.privseg.core.release.Profiles profiles,
      List<String> names, List<Path> written, PrintWriter out, long readMillis) {
    ProcessingRecord.Counts c = r.counts();
    out.printf(Locale.ROOT, "purpose:    %s (lawful basis: %s)%n", r.purpose().id(),
        r.purpose().lawfulBasis());
    out.printf(Locale.ROOT, "input:      %,d rows%s%n", c.inputRows(),
        c.rejectedAtRead().isEmpty() ? "" : ", rejected at read " + c.rejectedAtRead());
    out.printf(Locale.ROOT, "excluded:   %,d without a lawful basis %s%n",
        c.excludedByGate().values().stream().mapToLong(Long::longValue).sum(),
        c.excludedByGate());
    if (!c.excludedByRetention().isEmpty()) {
      out.printf(Locale.ROOT, "retention:  %,d past the limit %s (%s)%n",
          c.excludedByRetention().values().stream().mapToLong(Long::longValue).sum(),
          c.excludedByRetention(), r.fields().retention());
    }
    out.printf(Locale.ROOT, "processed:  %,d subjects on fields %s%n", c.processedRows(),
        r.fields().used());
    ProcessingRecord.AnonymizationEntry a = r.anonymization();
    if (a != null) {
      Object models = a.parameters().get("models");
      String criteria = models instanceof java.util.List<?> list
          ? list.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
          : String.valueOf(models);
      // Generalization reports its chosen levels; Mondrian and MDAV have none to show.
      Object levels = a.summary().get("transformation");
      out.printf(Locale.ROOT, "anonymized: %s by %s; %,d rows suppressed%s%n",
          criteria, a.method(), a.rowsSuppressed(), levels == null ? "" : "; levels " + levels);
    }
    int iterations = r.segmentation().iterations();
    out.printf(Locale.ROOT, "segments:   %d by %s, silhouette %.3f%s%n",
        r.segmentation().segments(), r.segmentation().algorithm(),
        r.segmentation().silhouette(), iterations == 0 ? "" // rules and RFM: one pass
            : String.format(Locale.ROOT, ", %d iteration%s", iterations,
                iterations == 1 ? "" : "s"));
    // Rule and RFM segments have names; show them beside the numbers.
    for (SegmentProfile p : profiles.released()) {
      out.printf(Locale.ROOT, "  segment %d%s: %,d subjects%n", p.segment(),
          p.segment() < names.size() ? " (" + names.get(p.segment()) + ")" : "", p.size());
    }
    String epsilon = r.release().privacy().get("profilesEpsilon");
    if (!profiles.suppressedSegments().isEmpty()) {
      out.printf(Locale.ROOT, "  suppressed (%s %d subjects): segments %s%n",
          epsilon == null ? "fewer than" : "noisy size below", profiles.minSegmentSize(),
          profiles.suppressedSegments());
    }
    out.printf(Locale.ROOT, "profiles:   %s%s%n", r.release().profileMechanism(),
        epsilon == null ? "" : "; the profiles are (epsilon " + epsilon + ", delta "
            + r.release().privacy().get("profilesDelta") + ")-DP in all");
    out.printf(Locale.ROOT, "assignments: pseudonymous personal data (GDPR Recital 26): for the "
        + "controller, not for release%n");
    long total = r.stageMillis().values().stream().mapToLong(Long::longValue).sum();
    if (readMillis >= 0) {
      out.printf(Locale.ROOT, "time:       %,d ms reading the input, then %,d ms %s%n",
          readMillis, total, r.stageMillis());
    } else {
      out.printf(Locale.ROOT, "time:       %,d ms %s%n", total, r.stageMillis());
    }
    out.printf(Locale.ROOT, "wrote:      %s%n", written.stream().map(Path::toString)
        .collect(java.util.stream.Collectors.joining(", ")));
    out.flush();
  }
}
