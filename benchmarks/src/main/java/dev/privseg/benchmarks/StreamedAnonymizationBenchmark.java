package dev.privseg.benchmarks;

import dev.privseg.anonymization.hierarchy.Hierarchy;
import dev.privseg.anonymization.search.GeneralizationAnonymizer;
import dev.privseg.anonymization.search.GeneralizationResult;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.io.CsvReader;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
 * 10,000,000 rows streamed from CSV (the customer file of {@link CsvReadBenchmark}, 10 columns,
 * about 700 MB) into a columnar {@code Dataset} of 8 quasi-identifiers and income, then optimal
 * generalization with k = 10 and at most 1 % suppressed, in a fork limited to a 4 GiB heap.
 * Completing is the target; the time is reported too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class StreamedAnonymizationBenchmark {
  static final Schema QIS = Schema.builder()
      .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .categorical("region", PrivacyRole.QUASI_IDENTIFIER, "north", "east", "south", "west")
      .field("postcode", FieldType.TEXT, PrivacyRole.QUASI_IDENTIFIER)
      .field("income", FieldType.NUMERIC, PrivacyRole.SENSITIVE)
      .field("tenure_months", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("orders_12m", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("spend_12m", FieldType.NUMERIC, PrivacyRole.QUASI_IDENTIFIER)
      .field("days_since_last_order", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("channel", FieldType.CATEGORICAL, PrivacyRole.QUASI_IDENTIFIER)
      .build();

  @Param({"10000000"})
  int rows;

  Path file;
  GeneralizationAnonymizer k10;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    file = Files.createTempFile("privseg-stream", ".csv");
    CsvReadBenchmark.writeCustomers(file, rows);
    k10 = GeneralizationAnonymizer.builder()
        .hierarchy(Hierarchy.intervals("age", 5, 10, 20))
        .hierarchy(Hierarchy.flat("region"))
        .hierarchy(Hierarchy.masking("postcode", 5))
        .hierarchy(Hierarchy.intervals("tenure_months", 12, 24, 48))
        .hierarchy(Hierarchy.intervals("orders_12m", 5, 10, 20))
        .hierarchy(Hierarchy.intervals("spend_12m", 100, 500, 1000))
        .hierarchy(Hierarchy.intervals("days_since_last_order", 30, 90, 360))
        .hierarchy(Hierarchy.flat("channel"))
        .kAnonymity(10).suppressionLimit(0.01)
        .build();
  }

  @TearDown(Level.Trial)
  public void deleteFile() throws IOException {
    Files.deleteIfExists(file);
  }

  /** Read 10M rows from CSV and generalize them; target: completes within a 4 GiB heap. */
  @Benchmark
  public GeneralizationResult readAndGeneralize() throws IOException {
    Dataset data = CsvReader.defaults().read(file, QIS);
    return k10.apply(data);
  }
}
