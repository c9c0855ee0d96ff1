package dev.privseg.cli;

import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.report.ProcessingRecord;
import dev.privseg.core.release.SegmentProfile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes a run's files (assignments, profiles, the record as JSON and as an HTML page) and
 * prints the human summary.
 */
final class OutputWriter {
  private OutputWriter() {}

  static void write(SegmentationRun run, Path dir) throws IOException {
    Files.createDirectories(dir);
    run.assignments().writeCsv(dir.resolve("assignments.csv"));
    run.profiles().writeCsv(dir.resolve("profiles.csv"), run.segmentNames());
    run.report().writeJson(dir.resolve("report.json"));
    run.report().writeHtml(dir.resolve("report.html"));
  }

  static void summary(SegmentationRun run, Path dir, PrintWriter out) {
    ProcessingRecord r = run.report();
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
    List<String> names = run.segmentNames();
    for (SegmentProfile p : run.profiles().released()) {
      out.printf(Locale.ROOT, "  segment %d%s: %,d subjects%n", p.segment(),
          p.segment() < names.size() ? " (" + names.get(p.segment()) + ")" : "", p.size());
    }
    String epsilon = r.release().privacy().get("profilesEpsilon");
    if (!run.profiles().suppressedSegments().isEmpty()) {
      out.printf(Locale.ROOT, "  suppressed (%s %d subjects): segments %s%n",
          epsilon == null ? "fewer than" : "noisy size below", run.profiles().minSegmentSize(),
          run.profiles().suppressedSegments());
    }
    out.printf(Locale.ROOT, "profiles:   %s%s%n", r.release().profileMechanism(),
        epsilon == null ? "" : "; the profiles are (epsilon " + epsilon + ", delta "
            + r.release().privacy().get("profilesDelta") + ")-DP in all");
    out.printf(Locale.ROOT, "assignments: pseudonymous personal data (GDPR Recital 26): for the "
        + "controller, not for release%n");
    long total = r.stageMillis().values().stream().mapToLong(Long::longValue).sum();
    out.printf(Locale.ROOT, "time:       %,d ms %s%n", total, r.stageMillis());
    out.printf(Locale.ROOT, "wrote:      %s, %s, %s, %s%n", dir.resolve("assignments.csv"),
        dir.resolve("profiles.csv"), dir.resolve("report.json"), dir.resolve("report.html"));
    out.flush();
  }
}
