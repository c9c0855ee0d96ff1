package dev.privseg.core.release;

import dev.privseg.core.Checks;
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
    writeCsv(file, List.of());
  }

  /**
   * As {@link #writeCsv(Path)}, with a {@code segment_name} column after {@code segment} when
   * {@code segmentNames} (indexed by segment number, as rule and RFM segmentations give them)
   * is not empty.
   */
  public void writeCsv(Path file, List<String> segmentNames) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      writeCsv(out, segmentNames);
    }
  }

  /** As {@link #writeCsv(Path)}, to {@code out} (not closed). */
  public void writeCsv(Writer out) throws IOException {
    writeCsv(out, List.of());
  }

  /** As {@link #writeCsv(Path, List)}, to {@code out} (not closed). */
  public void writeCsv(Writer out, List<String> segmentNames) throws IOException {
    Rows rows = new Rows(out, segmentNames);
    for (SegmentProfile s : released) {
      for (SegmentProfile.NumericSummary n : s.numeric()) {
        rows.printIfReleased(s, n.field(), "mean", n.mean());
        rows.printIfReleased(s, n.field(), "p25", n.p25());
        rows.printIfReleased(s, n.field(), "median", n.median());
        rows.printIfReleased(s, n.field(), "p75", n.p75());
      }
      for (SegmentProfile.CategoryShares c : s.categorical()) {
        for (var e : c.shares().entrySet()) {
          rows.print(s.segment(), s.size(), c.field() + "=" + e.getKey(), "share", e.getValue());
        }
      }
    }
    for (int segment : suppressedSegments) {
      rows.print(segment, "", "", "suppressed", "below minimum size " + minSegmentSize);
    }
    rows.printer.flush();
  }

  /** The CSV rows, with the segment's name after its number when there are names. */
  private static final class Rows {
    final CSVPrinter printer;
    final List<String> names;

    Rows(Writer out, List<String> names) throws IOException {
      this.names = List.copyOf(names);
      this.printer = new CSVPrinter(out, CSVFormat.RFC4180.builder()
          .setHeader(this.names.isEmpty()
              ? new String[] {"segment", "size", "feature", "statistic", "value"}
              : new String[] {"segment", "segment_name", "size", "feature", "statistic", "value"})
          .setRecordSeparator('\n').get());
    }

    void print(int segment, Object size, String feature, String statistic, Object value)
        throws IOException {
      if (names.isEmpty()) {
        printer.printRecord(segment, size, feature, statistic, value);
      } else {
        Checks.check(segment < names.size(), "segment %s has no name among %s", segment,
            names.size());
        printer.printRecord(segment, names.get(segment), size, feature, statistic, value);
      }
    }

    /** A statistic a mechanism did not release (NaN, e.g. quantiles under DP) gets no row. */
    void printIfReleased(SegmentProfile s, String field, String stat, double value)
        throws IOException {
      if (!Double.isNaN(value)) {
        print(s.segment(), s.size(), field, stat, value);
      }
    }
  }
}
