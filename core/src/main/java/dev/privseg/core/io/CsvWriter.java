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
    List<Column> columns = data.columns();
    CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180.builder()
        .setHeader(data.schema().names().toArray(new String[0])).setRecordSeparator('\n').get());
    String[] row = new String[columns.size()];
    for (int r = 0; r < data.rowCount(); r++) {
      for (int c = 0; c < row.length; c++) {
        row[c] = text(columns.get(c), r);
      }
      printer.printRecord((Object[]) row);
    }
    printer.flush();
  }

  private static String text(Column c, int r) {
    String text = c.text(r);
    return text == null ? "" : text;
  }

}
