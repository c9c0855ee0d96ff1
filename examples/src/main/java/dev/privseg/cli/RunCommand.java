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

  @Option(names = "--out", required = true, description = "Directory for the outputs.")
  Path out;

  @Option(names = "--input", description = "Read this data file instead of the spec's input.path.")
  Path input;

  @Override
  public Integer call() throws Exception {
    try (SpecLoader loader = SpecLoader.load(specFile, root.environment)) {
      SegmentationPipeline pipeline = loader.pipeline();
      Dataset data = loader.read(input);
      SegmentationRun run = pipeline.run(data, RunOptions.defaults()
          .withListener(TerminalProgress.forConsole(spec.commandLine().getErr())));
      OutputWriter.write(run, out);
      loader.registerMemberships(run);
      OutputWriter.summary(run, out, spec.commandLine().getOut());
      return 0;
    }
  }
}
