package dev.privseg.benchmarks;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CSV parsers a faster reader could build on (issue 25), side by side on privseg's own file:
 * {@link CsvReadBenchmark}'s 1,000,000-row, 10-column customer file (its state writes it), parsed
 * to fields only (no dataset), one thread. Each sums the lengths of every field, so no field can
 * be skipped. Commons CSV is what {@code CsvReader} uses today.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 5)
@Measurement(iterations = 10)
public class CsvParserBenchmark {

  /** Apache Commons CSV 1.14, as {@code CsvReader} configures it. */
  @Benchmark
  public long commonsCsv(CsvReadBenchmark customers) throws IOException {
    long chars = 0;
    try (Reader in = Files.newBufferedReader(customers.file, StandardCharsets.UTF_8);
        CSVParser parser = CSVParser.parse(in, CSVFormat.DEFAULT)) {
      for (CSVRecord r : parser) {
        for (int i = 0; i < r.size(); i++) {
          chars += r.get(i).length();
        }
      }
    }
    return chars;
  }

  /** FastCSV 4.0 (MIT). */
  @Benchmark
  public long fastCsv(CsvReadBenchmark customers) throws IOException {
    long chars = 0;
    try (de.siegmar.fastcsv.reader.CsvReader<de.siegmar.fastcsv.reader.CsvRecord> reader =
        de.siegmar.fastcsv.reader.CsvReader.builder().ofCsvRecord(customers.file)) {
      for (de.siegmar.fastcsv.reader.CsvRecord r : reader) {
        for (int i = 0; i < r.getFieldCount(); i++) {
          chars += r.getField(i).length();
        }
      }
    }
    return chars;
  }

  /** univocity-parsers 2.9.1 (Apache-2.0; unmaintained since 2021). */
  @Benchmark
  public long univocity(CsvReadBenchmark customers) throws IOException {
    long chars = 0;
    com.univocity.parsers.csv.CsvParserSettings settings =
        new com.univocity.parsers.csv.CsvParserSettings();
    settings.setMaxColumns(64);
    com.univocity.parsers.csv.CsvParser parser = new com.univocity.parsers.csv.CsvParser(settings);
    try (Reader in = Files.newBufferedReader(customers.file, StandardCharsets.UTF_8)) {
      parser.beginParsing(in);
      String[] row;
      while ((row = parser.parseNext()) != null) {
        for (String f : row) {
          chars += f == null ? 0 : f.length();
        }
      }
    }
    return chars;
  }
}
