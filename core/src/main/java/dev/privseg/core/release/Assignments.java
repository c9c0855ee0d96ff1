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
 * The segment of every processed subject, keyed by pseudonym. This is personal data for the
 * controller: it exists only for subjects that passed the lawful-basis gate, and the controller
 * re-links pseudonyms with its key to act on them. {@link #toString()} shows only the size.
 * Immutable.
 */
public final class Assignments {
  private final String[] pseudonyms;
  private final int[] segments;
  private final List<String> segmentNames;

  /** Wraps parallel arrays (not copied; callers hand over ownership). */
  public Assignments(String[] pseudonyms, int[] segments) {
    this(pseudonyms, segments, List.of());
  }

  /**
   * Wraps parallel arrays (not copied), with the segments' names (rule and RFM segments have
   * them; empty for numbered segments). A named segmentation names every segment it assigns.
   */
  public Assignments(String[] pseudonyms, int[] segments, List<String> segmentNames) {
    if (pseudonyms.length != segments.length) {
      throw new IllegalArgumentException("pseudonyms and segments differ in length");
    }
    this.segmentNames = List.copyOf(segmentNames);
    if (!this.segmentNames.isEmpty()) {
      for (int segment : segments) {
        if (segment < 0 || segment >= this.segmentNames.size()) {
          throw new IllegalArgumentException("segment " + segment + " has no name among "
              + this.segmentNames.size());
        }
      }
    }
    this.pseudonyms = pseudonyms;
    this.segments = segments;
  }

  /** The number of assignments. */
  public int size() {
    return pseudonyms.length;
  }

  /** The pseudonym of assignment {@code i}. */
  public String pseudonym(int i) {
    return pseudonyms[i];
  }

  /** The segment of assignment {@code i}. */
  public int segment(int i) {
    return segments[i];
  }

  /** The segments' names, indexed by segment number; empty for numbered segments. */
  public List<String> segmentNames() {
    return segmentNames;
  }

  /**
   * Writes {@code pseudonym,segment} rows with a header to {@code file} (UTF-8), and a
   * {@code segment_name} column when the segments have names.
   */
  public void writeCsv(Path file) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      writeCsv(out);
    }
  }

  /** As {@link #writeCsv(Path)}, to {@code out} (not closed). */
  public void writeCsv(Writer out) throws IOException {
    CsvRows rows = csvRows(out, segmentNames);
    for (int i = 0; i < pseudonyms.length; i++) {
      rows.write(pseudonyms[i], segments[i]);
    }
    rows.flush();
  }

  /**
   * A writer of assignments held elsewhere (an engine that streams them), in the form of
   * {@link #writeCsv(Writer)}: the header now, then one row per {@link CsvRows#write}.
   *
   * @param out where to write (not closed)
   * @param segmentNames the segments' names, or empty for numbered segments
   */
  public static CsvRows csvRows(Writer out, List<String> segmentNames) throws IOException {
    return new CsvRows(out, List.copyOf(segmentNames));
  }

  /** Assignment rows written as CSV one at a time; see {@link #csvRows}. Not thread-safe. */
  public static final class CsvRows {
    private final CSVPrinter printer;
    private final List<String> names;

    private CsvRows(Writer out, List<String> names) throws IOException {
      this.names = names;
      boolean named = !names.isEmpty();
      this.printer = new CSVPrinter(out, CSVFormat.RFC4180.builder()
          .setHeader(named ? new String[] {"pseudonym", "segment", "segment_name"}
              : new String[] {"pseudonym", "segment"})
          .setRecordSeparator('\n').get());
    }

    /** Writes one subject's row. */
    public void write(String pseudonym, int segment) throws IOException {
      // Field by field: printRecord(Object...) streams over its arguments for every row, which
      // took most of the time writing a million rows.
      printer.print(pseudonym);
      printer.print(Integer.toString(segment));
      if (!names.isEmpty()) {
        printer.print(names.get(segment));
      }
      printer.println();
    }

    /** Flushes what was written to the underlying writer. */
    public void flush() throws IOException {
      printer.flush();
    }
  }

  @Override
  public String toString() {
    return "Assignments[" + pseudonyms.length + " subjects]";
  }
}
