package dev.privseg.benchmarks;

import dev.privseg.anonymization.hierarchy.Hierarchy;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading Adult's eight ARX hierarchy files (../shared/data/arx-adult), as a service that runs the
 * same spec again does: parsing every time (from a reader, which is never cached) against reading
 * from the files, which a process parses once per content.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HierarchyReadBenchmark {
  List<Path> files;

  @Setup
  public void setUp() {
    Path dir = Path.of(System.getProperty("privseg.shared.data", "../shared/data"), "arx-adult");
    files = new ArrayList<>();
    for (String q : AdultAnonymizationBenchmark.QIS) {
      files.add(dir.resolve("adult_hierarchy_" + q + ".csv"));
    }
  }

  /** Parsing every file each time. */
  @Benchmark
  public List<Hierarchy> parsedEachTime() throws IOException {
    List<Hierarchy> out = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      try (Reader in = Files.newBufferedReader(files.get(i), StandardCharsets.UTF_8)) {
        out.add(Hierarchy.fromCsv(AdultAnonymizationBenchmark.QIS.get(i), in, ';'));
      }
    }
    return out;
  }

  /** Reading the files: parsed once per content, then recognised by their SHA-256. */
  @Benchmark
  public List<Hierarchy> readFromFiles() throws IOException {
    List<Hierarchy> out = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      out.add(Hierarchy.fromCsv(AdultAnonymizationBenchmark.QIS.get(i), files.get(i), ';'));
    }
    return out;
  }
}
