package dev.privseg.core.io;

import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.DataFormatException;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.dataset.ReadReport;
import dev.privseg.core.dataset.RejectReason;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.Schema;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads delimited text into a {@link Dataset}, streaming each record straight into primitive
 * columns (Apache Commons CSV does the parsing). Only the columns the schema declares are read;
 * any other column in the file is never touched. Immutable and thread-safe; each
 * {@code read} call is independent.
 *
 * <pre>{@code
 * Dataset customers = CsvReader.builder().delimiter(';').lenient(true).build()
 *     .read(Path.of("customers.csv"), schema);
 * customers.readReport().rejected();   // counts per reason, never values
 * }</pre>
 *
 * <p>An empty field is a missing value. With a header (the default) fields are matched to the
 * schema by name; without one, the file's columns are the schema's fields in order.
 */
public final class CsvReader {
  private final char delimiter;
  private final char quote;
  private final boolean header;
  private final Charset charset;
  private final boolean lenient;
  private final boolean optionalColumns;
  private final int maxFieldLength;
  /** The default {@link Builder#maxFieldLength}: one million characters. */
  public static final int DEFAULT_MAX_FIELD_LENGTH = 1_000_000;

  private CsvReader(Builder b) {
    this.delimiter = b.delimiter;
    this.quote = b.quote;
    this.header = b.header;
    this.charset = b.charset;
    this.lenient = b.lenient;
    this.optionalColumns = b.optionalColumns;
    this.maxFieldLength = b.maxFieldLength;
  }

  /** A builder with RFC 4180 defaults: comma, double quote, header row, UTF-8, strict. */
  public static Builder builder() {
    return new Builder();
  }

  /** A reader with the defaults of {@link #builder()}. */
  public static CsvReader defaults() {
    return builder().build();
  }

  /**
   * Reads {@code file} against {@code schema}.
   *
   * @throws ConfigurationException if the file is not text in the reader's charset (UTF-8 unless
   *     {@link Builder#charset} says otherwise), naming the charset
   */
  public Dataset read(Path file, Schema schema) throws IOException {
    Whole whole = new Whole();
    readFile(file, schema, Integer.MAX_VALUE, whole);
    return whole.dataset;
  }

  /**
   * Reads {@code file} against {@code schema} in parts of at most {@code batchRows} rows, handing
   * each to {@code batches} before the next is read: memory for one part whatever the file's
   * size, as for an import of a large export. Rows are numbered from the file's first record in
   * every error and report; each part's {@link Dataset#readReport()} covers that part's rows. A
   * part that {@code batches} has taken is not taken back if a later row breaks the schema: to
   * check a whole file before acting on any of it, read it twice.
   *
   * <pre>{@code
   * ReadReport report = CsvReader.defaults().readBatches(file, schema, 10_000, part -> {
   *   // part.rowCount() <= 10_000
   * });
   * }</pre>
   *
   * @return what was read, over the whole file
   * @throws ConfigurationException if {@code batchRows} is less than 1
   * @throws ConfigurationException as {@link #read(Path, Schema)}
   */
  public ReadReport readBatches(Path file, Schema schema, int batchRows,
      Consumer<Dataset> batches) throws IOException {
    Checks.atLeast(batchRows, 1, "batchRows");
    Checks.notNull(batches, "batches");
    return readFile(file, schema, batchRows, batches);
  }

  private ReadReport readFile(Path file, Schema schema, int batchRows, Consumer<Dataset> batches)
      throws IOException {
    try (Reader in = Files.newBufferedReader(file, charset)) {
      return read(in, schema, charset, batchRows, batches);
    } catch (CharacterCodingException e) {
      throw notIn(charset);
    }
  }

  /**
   * Reads from {@code in} (not closed) in parts, as {@link #readBatches(Path, Schema, int,
   * Consumer)} does from a file.
   */
  public ReadReport readBatches(Reader in, Schema schema, int batchRows,
      Consumer<Dataset> batches) throws IOException {
    Checks.atLeast(batchRows, 1, "batchRows");
    Checks.notNull(batches, "batches");
    return read(in, schema, null, batchRows, batches);
  }

  /** Says the input could not be decoded, as {@code charset} if that is known. */
  private static ConfigurationException notIn(Charset charset) {
    return new ConfigurationException("the CSV input is not valid "
        + (charset == null ? "text in the character set it is read with" : charset.name()
            + " text") + "; read it with the character set it was written in (CsvReader"
        + ".builder().charset(...), input.encoding in a spec), for example windows-1252 for "
        + "many spreadsheet exports");
  }

  /**
   * Reads from {@code in} (not closed) against {@code schema}.
   *
   * @throws ConfigurationException if {@code in} cannot decode its bytes (a reader that reports
   *     malformed input), or the header does not hold the schema's columns
   */
  public Dataset read(Reader in, Schema schema) throws IOException {
    Whole whole = new Whole();
    read(in, schema, null, Integer.MAX_VALUE, whole);
    return whole.dataset;
  }

  /** Keeps the one part a read without a batch size hands over: the whole input. */
  private static final class Whole implements Consumer<Dataset> {
    Dataset dataset;

    @Override
    public void accept(Dataset part) {
      dataset = part;
    }
  }

  /**
   * Reads {@code in}, handing {@code batches} a dataset each time {@code batchRows} rows are
   * accepted, and the rest at the end (also when that is nothing, if nothing was handed before).
   */
  private ReadReport read(Reader in, Schema schema, Charset known, int batchRows,
      Consumer<Dataset> batches) throws IOException {
    CSVFormat format = CSVFormat.RFC4180.builder()
        .setDelimiter(delimiter)
        .setQuote(quote)
        .setIgnoreEmptyLines(true)
        .get();
    DatasetBuilder builder = Dataset.builder(schema).lenient(lenient);
    List<Field> fields = schema.fields();
    ReadReport total = ReadReport.allAccepted(0);
    boolean handed = false;
    try (CSVParser parser = CSVParser.parse(
        new FieldLengthGuard(in, delimiter, quote, maxFieldLength), format)) {
      Iterator<CSVRecord> records = parser.iterator();
      int[] positions = header ? positionsFromHeader(records, fields, builder, known)
          : positionsInOrder(fields);
      int needed = 1 + java.util.Arrays.stream(positions).max().orElse(-1);
      while (hasNext(records, builder, known)) {
        CSVRecord record = records.next();
        builder.addRow(b -> {
          if (record.size() < needed) {
            throw new DataFormatException(b.rowNumber(), null, RejectReason.MALFORMED_RECORD,
                "record has " + record.size() + " fields but at least " + needed + " are needed");
          }
          for (int i = 0; i < positions.length; i++) {
            b.setText(i, positions[i] < 0 ? null : record.get(positions[i]));
          }
        });
        if (builder.rowsAccepted() == batchRows) {
          long next = builder.rowNumber();
          Dataset part = builder.build();
          total = total.plus(part.readReport());
          batches.accept(part);
          handed = true;
          builder = Dataset.builder(schema).lenient(lenient).firstRowNumber(next);
        }
      }
    }
    Dataset rest = builder.build();
    if (rest.rowCount() > 0 || rest.readReport().rowsRead() > 0 || !handed) {
      total = total.plus(rest.readReport());
      batches.accept(rest);
    }
    return total;
  }

  private boolean hasNext(Iterator<CSVRecord> records, DatasetBuilder builder,
      Charset known) {
    try {
      return records.hasNext();
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof CharacterCodingException) {
        throw notIn(known);
      }
      if (e.getCause() instanceof FieldLengthGuard.FieldTooLong) {
        throw new DataFormatException(builder.rowNumber(), null, RejectReason.MALFORMED_RECORD,
            "a field is longer than " + maxFieldLength + " characters (the reader's "
                + "maxFieldLength); reading stopped");
      }
      // The parser's message names positions, but the cause is not chained so that no parser
      // text that might quote data reaches a log.
      throw new DataFormatException(builder.rowNumber(), null, RejectReason.MALFORMED_RECORD,
          "the CSV syntax is broken (for example an unclosed quote); reading stopped");
    }
  }

  private int[] positionsFromHeader(Iterator<CSVRecord> records, List<Field> fields,
      DatasetBuilder builder, Charset known) {
    if (!hasNext(records, builder, known)) {
      throw new ConfigurationException("CSV input is empty: a header row was expected");
    }
    CSVRecord head = records.next();
    Map<String, Integer> byName = new HashMap<>();
    Map<String, Integer> repeated = new HashMap<>(); // name -> its second column
    for (int i = 0; i < head.size(); i++) {
      String name = head.get(i).strip();
      if (i == 0 && name.startsWith("\uFEFF")) {
        name = name.substring(1);
      }
      if (byName.putIfAbsent(name, i) != null) {
        repeated.putIfAbsent(name, i);
      }
    }
    int[] positions = new int[fields.size()];
    for (int i = 0; i < positions.length; i++) {
      String name = fields.get(i).name();
      Integer p = byName.get(name);
      if (p == null && optionalColumns && !fields.get(i).required()) {
        positions[i] = -1; // absent: every value missing
        continue;
      }
      if (p == null) {
        throw new ConfigurationException("CSV header has no column '" + name
            + "' declared in the schema" + caseHint(name, byName.keySet())
            + headerHint(head, fields));
      }
      if (repeated.containsKey(name)) {
        throw new ConfigurationException("CSV header has two columns named '" + name
            + "' (columns " + (p + 1) + " and " + (repeated.get(name) + 1) + "): which one "
            + "the schema means is ambiguous");
      }
      positions[i] = p;
    }
    return positions;
  }

  /** A header column whose name differs from {@code name} only in case, if there is one. */
  private static String caseHint(String name, java.util.Set<String> header) {
    return header.stream().filter(h -> h.equalsIgnoreCase(name)).findFirst()
        .map(h -> "; the header has '" + h + "' (names must match exactly)").orElse("");
  }

  /**
   * The likely mistake when the header lacks a schema column: a file delimited by another usual
   * separator (the header is one column that, split by it, has the schema's names), or a file
   * without a header row (the first row has none of the schema's names). The first row may then
   * be data, so it is never quoted.
   */
  private String headerHint(CSVRecord head, List<Field> fields) {
    java.util.Set<String> names = new java.util.HashSet<>();
    fields.forEach(f -> names.add(f.name().toLowerCase(java.util.Locale.ROOT)));
    if (head.size() == 1) {
      for (char c : new char[] {';', '\t', '|', ','}) {
        if (c != delimiter && head.get(0).indexOf(c) >= 0 && java.util.Arrays.stream(
            head.get(0).split(java.util.regex.Pattern.quote(String.valueOf(c))))
            .anyMatch(cell -> names.contains(cell.strip().toLowerCase(java.util.Locale.ROOT)))) {
          String shown = c == '\t' ? "\\t" : String.valueOf(c);
          return "; the header is one column holding '" + shown + "', and split by '" + shown
              + "' it has the schema's columns: if the file is delimited by '" + shown
              + "', say so (CsvReader.builder().delimiter(...), input.delimiter in a spec)";
        }
      }
    }
    for (String cell : head) {
      String name = cell.strip();
      if (name.startsWith("\uFEFF")) {
        name = name.substring(1);
      }
      if (names.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        return "";
      }
    }
    return "; the first row has none of the schema's column names: if the file has no header "
        + "row, add one naming the schema's columns, or read it with "
        + "CsvReader.builder().header(false)";
  }

  private static int[] positionsInOrder(List<Field> fields) {
    int[] positions = new int[fields.size()];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = i;
    }
    return positions;
  }

  /** Configures a {@link CsvReader}. Not thread-safe. */
  public static final class Builder {
    private char delimiter = ',';
    private char quote = '"';
    private int maxFieldLength = DEFAULT_MAX_FIELD_LENGTH;
    private boolean header = true;
    private Charset charset = StandardCharsets.UTF_8;
    private boolean lenient;
    private boolean optionalColumns;

    private Builder() {}

    /** The field separator; default ','. */
    public Builder delimiter(char delimiter) {
      Checks.check(delimiter != '\n' && delimiter != '\r', "delimiter must not be a line break");
      this.delimiter = delimiter;
      return this;
    }

    /** The quote character; default '"'. */
    public Builder quote(char quote) {
      this.quote = quote;
      return this;
    }

    /** Whether the first record names the columns; default true. */
    public Builder header(boolean header) {
      this.header = header;
      return this;
    }

    /** The character set; default UTF-8. */
    public Builder charset(Charset charset) {
      this.charset = Checks.notNull(charset, "charset");
      return this;
    }

    /** Whether bad rows are skipped and counted (true) or throw (false, the default). */
    public Builder lenient(boolean lenient) {
      this.lenient = lenient;
      return this;
    }

    /**
     * Whether a field that is not required may be absent from the header, every value of it
     * then missing (true), or must be there like every field (false, the default, so that a
     * misspelt column name is an error rather than a column of nothing).
     */
    public Builder optionalColumns(boolean optionalColumns) {
      this.optionalColumns = optionalColumns;
      return this;
    }

    /**
     * The longest field read, in characters (default {@link #DEFAULT_MAX_FIELD_LENGTH}): a
     * longer one stops the read with a {@link DataFormatException} as soon as it is seen, before
     * it fills the memory.
     */
    public Builder maxFieldLength(int maxFieldLength) {
      this.maxFieldLength = Checks.atLeast(maxFieldLength, 1, "maxFieldLength");
      return this;
    }

    /** Builds the reader; checks that delimiter and quote differ. */
    public CsvReader build() {
      Checks.check(delimiter != quote, "delimiter and quote must differ but both were '%s'",
          delimiter);
      return new CsvReader(this);
    }
  }
}
