package dev.privseg.core.release;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The shareable output of a run: a profile per released segment, and the numbers of the segments
 * whose profiles were suppressed for being smaller than the minimum size.
 *
 * @param released profiles of segments with at least {@code minSegmentSize} members
 * @param suppressedSegments numbers of the segments that were suppressed
 * @param minSegmentSize the threshold that was applied
 */
public record Profiles(List<SegmentProfile> released, List<Integer> suppressedSegments,
    int minSegmentSize) {

  /** Copies the lists. */
  public Profiles {
    released = List.copyOf(released);
    suppressedSegments = List.copyOf(suppressedSegments);
  }

  /**
   * Writes the profiles in long form, {@code segment,size,feature,statistic,value}: one row per
   * statistic, and a {@code suppressed} row (no size) per suppressed segment.
   */
  public void writeCsv(Path file) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      writeCsv(out);
    }
  }

  /** As {@link #writeCsv(Path)}, to {@code out} (not closed). */
  public void writeCsv(Writer out) throws IOException {
    CSVPrinter p = new CSVPrinter(out, CSVFormat.RFC4180.builder()
        .setHeader("segment", "size", "feature", "statistic", "value")
        .setRecordSeparator('\n').get());
    for (SegmentProfile s : released) {
      for (SegmentProfile.NumericSummary n : s.numeric()) {
        printIfReleased(p, s, n.field(), "mean", n.mean());
        printIfReleased(p, s, n.field(), "p25", n.p25());
        printIfReleased(p, s, n.field(), "median", n.median());
        printIfReleased(p, s, n.field(), "p75", n.p75());
      }
      for (SegmentProfile.CategoryShares c : s.categorical()) {
        for (var e : c.shares().entrySet()) {
          p.printRecord(s.segment(), s.size(), c.field() + "=" + e.getKey(), "share",
              e.getValue());
        }
      }
    }
    for (int segment : suppressedSegments) {
      p.printRecord(segment, "", "", "suppressed", "below minimum size " + minSegmentSize);
    }
    p.flush();
  }

  /** A statistic a mechanism did not release (NaN, e.g. quantiles under DP) gets no row. */
  private static void printIfReleased(CSVPrinter p, SegmentProfile s, String field, String stat,
      double value) throws IOException {
    if (!Double.isNaN(value)) {
      p.printRecord(s.segment(), s.size(), field, stat, value);
    }
  }
}
