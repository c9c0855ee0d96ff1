package dev.privseg.benchmarks;

import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.io.CsvReader;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CSV to {@link Dataset}: a 10-column customer file (identifier, integers, decimals, open and
 * closed categoricals, text), and a transactions file (identifier, ISO-8601 timestamp, amount)
 * as RFM reads it, each read on one thread. Rows per second = rows / score.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 5)
@Measurement(iterations = 10)
public class CsvReadBenchmark {
  static final Schema SCHEMA = Schema.builder()
      .subjectId("customer_id")
      .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .categorical("region", PrivacyRole.QUASI_IDENTIFIER, "north", "east", "south", "west")
      .field("postcode", FieldType.TEXT, PrivacyRole.QUASI_IDENTIFIER)
      .field("income", FieldType.NUMERIC, PrivacyRole.SENSITIVE)
      .field("tenure_months", FieldType.INTEGER, PrivacyRole.OTHER)
      .field("orders_12m", FieldType.INTEGER, PrivacyRole.OTHER)
      .field("spend_12m", FieldType.NUMERIC, PrivacyRole.OTHER)
      .field("days_since_last_order", FieldType.INTEGER, PrivacyRole.OTHER)
      .field("channel", FieldType.CATEGORICAL, PrivacyRole.OTHER)
      .build();

  static final Schema TRANSACTIONS = Schema.builder()
      .subjectId("customer_id")
      .field("at", FieldType.TIMESTAMP, PrivacyRole.OTHER)
      .field("amount", FieldType.NUMERIC, PrivacyRole.OTHER)
      .build();

  @Param({"1000000"})
  int rows;

  Path file;

  @Setup(Level.Trial)
  public void writeFile() throws IOException {
    file = Files.createTempFile("privseg-bench", ".csv");
    writeCustomers(file, rows);
  }

  /** Writes {@code rows} random customers in {@link #SCHEMA}'s columns (seed 7). */
  static void writeCustomers(Path file, int rows) throws IOException {
    SplittableRandom r = new SplittableRandom(7);
    String[] regions = {"north", "east", "south", "west"};
    String[] channels = {"store", "web", "app"};
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(String.join(",", SCHEMA.names()));
      w.write('\n');
      for (int i = 0; i < rows; i++) {
        w.write("C" + (10_000_000 + i) + "," + (18 + r.nextInt(70)) + ","
            + regions[r.nextInt(4)] + "," + (10_000 + r.nextInt(89_999)) + ","
            + (20_000 + r.nextInt(150_000)) + "." + r.nextInt(100) + "," + r.nextInt(240) + ","
            + r.nextInt(40) + "," + r.nextInt(5_000) + "." + r.nextInt(100) + ","
            + r.nextInt(700) + "," + channels[r.nextInt(3)] + "\n");
      }
    }
  }

  @TearDown(Level.Trial)
  public void deleteFile() throws IOException {
    Files.deleteIfExists(file);
  }

  /**
   * 1,000,000 transactions of 100,000 customers over two years, timestamps as {@code
   * Instant.toString()} writes them: whole seconds for half, milliseconds for the other half.
   */
  @State(Scope.Benchmark)
  public static class Transactions {
    Path file;

    @Setup(Level.Trial)
    public void writeFile() throws IOException {
      file = Files.createTempFile("privseg-bench-transactions", ".csv");
      SplittableRandom r = new SplittableRandom(11);
      long start = java.time.Instant.parse("2024-11-01T00:00:00Z").toEpochMilli();
      try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        w.write("customer_id,at,amount\n");
        for (int i = 0; i < 1_000_000; i++) {
          long at = start + r.nextLong(730L * 86_400_000L);
          if (i % 2 == 0) {
            at -= at % 1000;
          }
          w.write("C" + (10_000_000 + r.nextInt(100_000)) + "," + java.time.Instant.ofEpochMilli(at)
              + "," + r.nextInt(500) + "." + r.nextInt(100) + "\n");
        }
      }
    }

    @TearDown(Level.Trial)
    public void deleteFile() throws IOException {
      Files.deleteIfExists(file);
    }
  }

  @Benchmark
  public Dataset readCsv() throws IOException {
    return CsvReader.defaults().read(file, SCHEMA);
  }

  /** The transactions file: identifiers, timestamps and amounts. */
  @Benchmark
  public Dataset readTransactionsCsv(Transactions t) throws IOException {
    return CsvReader.defaults().read(t.file, TRANSACTIONS);
  }

  /** The floor: Apache Commons CSV alone, touching every field, storing nothing. */
  @Benchmark
  public long commonsCsvParseOnly() throws IOException {
    long chars = 0;
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        CSVParser parser = CSVParser.parse(in, CSVFormat.RFC4180)) {
      for (CSVRecord record : parser) {
        for (int i = 0; i < record.size(); i++) {
          chars += record.get(i).length();
        }
      }
    }
    return chars;
  }
}
