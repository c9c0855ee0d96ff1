package dev.privseg.cli;

import dev.privseg.core.pipeline.RunOptions;
import dev.privseg.core.pipeline.SegmentationPipeline;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.examples.DemoPipeline;
import dev.privseg.examples.SyntheticCustomers;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code privseg demo}: generate synthetic customers and run the full pipeline on them. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Generate synthetic customers and segment those with marketing consent.")
final class DemoCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, description = "Directory for the outputs: new or "
      + "empty, so that files of different runs never mix.")
  Path out;

  @Option(names = "--replace", description = "Delete an earlier run's outputs in --out first "
      + "(only the files a run writes; any other file there is still refused).")
  boolean replace;

  @Option(names = "--customers", defaultValue = "100000",
      description = "Customers to generate (default: ${DEFAULT-VALUE}).")
  int customers;

  @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--clusters", defaultValue = "6",
      description = "Segments (default: ${DEFAULT-VALUE}).")
  int clusters;

  @Option(names = "--min-segment-size", defaultValue = "25",
      description = "Smallest segment whose profile is released (default: ${DEFAULT-VALUE}).")
  int minSegmentSize;

  @Option(names = "--key-env", description = "Environment variable holding a Base64 HMAC key of "
      + "at least 32 bytes. Without it, an ephemeral key is used and pseudonyms cannot be "
      + "re-linked after the run.")
  String keyEnv;

  @Option(names = "--dp-epsilon", description = "Segment with DP k-means and release "
      + "differentially private profiles, spending this epsilon in all (half each; e.g. 1.0), "
      + "instead of k-means and exact profiles.")
  String dpEpsilon;

  @Option(names = "--k-anonymity", defaultValue = "0", description = "Add an anonymize stage: "
      + "generalize the quasi-identifiers (age band, region) to k-anonymity, suppressing at most "
      + "1 %% of rows (default: none).")
  int kAnonymity;

  @Override
  public Integer call() throws Exception {
    if (customers < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--customers must be >= 1 but was " + customers);
    }
    KeyProvider keys = keyEnv == null ? KeyProvider.ephemeral() : KeyProvider.fromEnvironment(keyEnv);
    SyntheticCustomers.Population population = SyntheticCustomers.generate(customers, seed);
    if (dpEpsilon != null && kAnonymity > 0) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--dp-epsilon and "
          + "--k-anonymity cannot be combined: an anonymize stage before a differentially "
          + "private release lets one person change many released rows");
    }
    OutputWriter.prepare(out, replace);
    var gate = DemoPipeline.gate(DemoPipeline.ledger(population, keys));
    SegmentationPipeline pipeline = dpEpsilon == null
        ? DemoPipeline.build(gate, keys, clusters, seed, minSegmentSize,
            dev.privseg.core.release.ProfileMechanism.exact(), kAnonymity)
        : DemoPipeline.buildDifferentiallyPrivate(gate, keys, clusters, seed, minSegmentSize,
            dpEpsilon);
    SegmentationRun run = pipeline.run(population.customers(), RunOptions.defaults()
        .at(SyntheticCustomers.AS_OF)
        .withListener(TerminalProgress.forConsole(spec.commandLine().getErr())));
    java.util.List<Path> written = OutputWriter.write(run, out, false);
    spec.commandLine().getOut().printf("generated:  %,d synthetic customers (seed %d)%n",
        customers, seed);
    OutputWriter.summary(run, written, spec.commandLine().getOut());
    return 0;
  }
}
