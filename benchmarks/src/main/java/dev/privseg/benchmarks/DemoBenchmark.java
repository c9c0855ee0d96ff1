package dev.privseg.benchmarks;

import dev.privseg.core.pipeline.RunOptions;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.examples.DemoPipeline;
import dev.privseg.examples.SyntheticCustomers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole {@code privseg demo} in a 2 GiB heap: generate the customers, run every stage, write
 * assignments, profiles and report. Cold-ish: one warm-up, as a user running the CLI would see.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class DemoBenchmark {
  @Param({"1000000"})
  int customers;

  @Benchmark
  public SegmentationRun demo() throws IOException {
    SyntheticCustomers.Population p = SyntheticCustomers.generate(customers, 42);
    KeyProvider keys = KeyProvider.ephemeral();
    SegmentationRun run = DemoPipeline.build(DemoPipeline.gate(DemoPipeline.ledger(p, keys)),
        keys, 6, 42, 25).run(p.customers(), RunOptions.defaults().at(SyntheticCustomers.AS_OF));
    Path dir = Files.createTempDirectory("privseg-demo");
    try {
      run.assignments().writeCsv(dir.resolve("assignments.csv"));
      run.profiles().writeCsv(dir.resolve("profiles.csv"));
      run.report().writeJson(dir.resolve("report.json"));
    } finally {
      for (String f : new String[] {"assignments.csv", "profiles.csv", "report.json"}) {
        Files.deleteIfExists(dir.resolve(f));
      }
      Files.deleteIfExists(dir);
    }
    return run;
  }
}
