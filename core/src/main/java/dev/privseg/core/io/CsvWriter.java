package dev.privseg.core.io;

import dev.privseg.core.Checks;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.Dataset;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes a {@link Dataset} as RFC 4180 CSV with a header row, in the form {@link CsvReader} reads
 * back: missing values as empty fields, dates as ISO-8601, timestamps as ISO-8601 instants. Used
 * for anonymized microdata; it writes whatever the dataset holds, so write only data that may
 * leave (the anonymize stage's output, not the input).
 */
public final class CsvWriter {
  private CsvWriter() {}

  /** Writes {@code data} to {@code file} (UTF-8), replacing it. */
  public static void write(Dataset data, Path file) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      write(data, out);
    }
  }

  /** Writes {@code data} to {@code out} (not closed). */
  public static void write(Dataset data, Writer out) throws IOException {
    Checks.notNull(data, "data");
    Batches batches = batches(out, data.schema().names());
    batches.write(data);
    batches.flush();
  }

  /**
   * A writer of a table that arrives in batches (from an engine that streams it), in the form of
   * {@link #write(Dataset, Writer)}: the header {@code fields} now, then each batch's rows.
   *
   * @param out where to write (not closed)
   * @param fields the header; every batch holds these fields, in this order
   */
  public static Batches batches(Writer out, List<String> fields) throws IOException {
    return new Batches(out, List.copyOf(fields));
  }

  /** A table written as CSV a batch at a time; see {@link #batches}. Not thread-safe. */
  public static final class Batches {
    private final CSVPrinter printer;
    private final List<String> fields;

    private Batches(Writer out, List<String> fields) throws IOException {
      this.fields = fields;
      this.printer = new CSVPrinter(out, CSVFormat.RFC4180.builder()
          .setHeader(fields.toArray(new String[0])).setRecordSeparator('\n').get());
    }

    /**
     * Writes the rows of {@code batch}.
     *
     * @throws dev.privseg.core.ConfigurationException if the batch's fields are not the header's
     */
    public void write(Dataset batch) throws IOException {
      Checks.check(batch.schema().names().equals(fields), "a batch of fields %s under the "
          + "header %s", batch.schema().names(), fields);
      List<Column> columns = batch.columns();
      String[] row = new String[columns.size()];
      for (int r = 0; r < batch.rowCount(); r++) {
        for (int c = 0; c < row.length; c++) {
          row[c] = text(columns.get(c), r);
        }
        printer.printRecord((Object[]) row);
      }
    }

    /** Flushes what was written to the underlying writer. */
    public void flush() throws IOException {
      printer.flush();
    }
  }

  private static String text(Column c, int r) {
    String text = c.text(r);
    return text == null ? "" : text;
  }

}
