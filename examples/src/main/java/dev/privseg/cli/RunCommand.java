package dev.privseg.cli;

import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.pipeline.RunOptions;
import dev.privseg.core.pipeline.SegmentationPipeline;
import dev.privseg.core.pipeline.SegmentationRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code privseg run SPEC.yaml}: run the pipeline a YAML spec describes. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the segmentation pipeline described by a YAML spec.")
final class RunCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.ParentCommand
  PrivsegCli root;

  @Parameters(index = "0", paramLabel = "SPEC.yaml", description = "The pipeline spec.")
  Path specFile;

  @Option(names = "--out", required = true, description = "Directory for the outputs: new or "
      + "empty, so that files of different runs never mix.")
  Path out;

  @Option(names = "--replace", description = "Delete an earlier run's outputs in --out first "
      + "(only the files a run writes; any other file there is still refused).")
  boolean replace;

  @Option(names = "--input", description = "Read this data file instead of the spec's input.path.")
  Path input;

  @Option(names = "--write-microdata", description = "Also write the anonymized microdata "
      + "(the anonymize stage's released rows, of the fields its guarantee covers only, no "
      + "identifiers) to microdata.csv.")
  boolean writeMicrodata;

  /** Where a run's stages execute. */
  enum Engine { local, spark }

  @Option(names = "--engine", description = "Where the pipeline runs: local (this JVM, the "
      + "default) or spark (a Spark cluster: with --master, or under spark-submit; the key in "
      + "an environment variable every node has).")
  Engine engine = Engine.local;

  @Option(names = "--master", description = "With --engine spark: the Spark master, e.g. "
      + "local[*] or spark://host:7077 (default: spark-submit's --master).")
  String master;

  @Option(names = "--assign-to", paramLabel = "RUN_ID", description = "Assign the rows to the "
      + "segments run RUN_ID saved in the spec's consent database instead of fitting the spec's "
      + "segmenter (incremental assignment: new or newly consenting customers; the run's "
      + "anonymization scheme is applied and its models checked again).")
  String assignTo;

  @Override
  public Integer call() throws Exception {
    if (engine == Engine.spark && assignTo != null) {
      throw new dev.privseg.core.ConfigurationException("--assign-to runs on the local engine "
          + "only");
    }
    if (engine == Engine.local && master != null) {
      throw new dev.privseg.core.ConfigurationException("--master is for --engine spark");
    }
    if (engine == Engine.spark && !SparkEngine.available()) {
      throw new dev.privseg.core.ConfigurationException("--engine spark needs Spark 4.0 or 3.5 "
          + "(Scala 2.13): set SPARK_HOME for bin/privseg, or run the privseg jar with "
          + "spark-submit");
    }
    try (dev.privseg.spec.Spec loader = dev.privseg.spec.Spec.load(specFile, root.environment)) {
      SegmentationPipeline pipeline = assignTo == null ? loader.pipeline()
          : loader.pipelineAssigningTo(assignTo);
      if (writeMicrodata && !loader.anonymizes()) {
        throw new dev.privseg.core.ConfigurationException("--write-microdata needs an "
            + "'anonymize' block in the spec: only anonymized rows may be written");
      }
      OutputWriter.prepare(out, replace);
      if (engine == Engine.spark) {
        SparkEngine.Result r = SparkEngine.run(loader, pipeline, master, input, out,
            writeMicrodata, root.environment);
        OutputWriter.summary(r.report(), r.profiles(), java.util.List.of(), r.written(),
            spec.commandLine().getOut(), -1);
        r.consent().ifPresent(line -> spec.commandLine().getOut()
            .println("consent:    " + line));
        r.memberships().ifPresent(line -> spec.commandLine().getOut()
            .println("runs:       " + line));
        return 0;
      }
      long started = System.nanoTime();
      Dataset data = loader.read(input);
      long readMillis = (System.nanoTime() - started) / 1_000_000;
      SegmentationRun run = pipeline.run(data, RunOptions.defaults()
          .withListener(TerminalProgress.forConsole(spec.commandLine().getErr())));
      java.util.List<Path> written = OutputWriter.write(run, out, writeMicrodata);
      java.util.Optional<String> retention = loader.registerMemberships(run);
      OutputWriter.summary(run, written, spec.commandLine().getOut(), readMillis);
      retention.ifPresent(line -> spec.commandLine().getOut().println("runs:       " + line));
      return 0;
    }
  }
}
