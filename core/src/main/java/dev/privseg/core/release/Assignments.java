package dev.privseg.core.release;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /** Wraps parallel arrays (not copied; callers hand over ownership). */
  public Assignments(String[] pseudonyms, int[] segments) {
    if (pseudonyms.length != segments.length) {
      throw new IllegalArgumentException("pseudonyms and segments differ in length");
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

  /** Writes {@code pseudonym,segment} rows with a header to {@code file} (UTF-8). */
  public void writeCsv(Path file) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      writeCsv(out);
    }
  }

  /** Writes {@code pseudonym,segment} rows with a header to {@code out} (not closed). */
  public void writeCsv(Writer out) throws IOException {
    CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180.builder()
        .setHeader("pseudonym", "segment").setRecordSeparator('\n').get());
    for (int i = 0; i < pseudonyms.length; i++) {
      printer.printRecord(pseudonyms[i], segments[i]);
    }
    printer.flush();
  }

  @Override
  public String toString() {
    return "Assignments[" + pseudonyms.length + " subjects]";
  }
}
