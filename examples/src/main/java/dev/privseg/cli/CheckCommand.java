package dev.privseg.cli;

import dev.privseg.core.pipeline.SegmentationPipeline;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code privseg check SPEC.yaml}: check a spec as {@code run} would, without reading its input or
 * writing anything, so that a spec can be checked before it is deployed.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Check a pipeline spec without running it: every key, every file it names "
        + "(schema, hierarchies, allow-list, key store), and every field the stages name against "
        + "its schema. Reads no input and writes nothing; a spec with a consent ledger needs "
        + "its database and key, as a run does.")
final class CheckCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.ParentCommand
  PrivsegCli root;

  @Parameters(index = "0", paramLabel = "SPEC.yaml", description = "The pipeline spec.")
  Path specFile;

  @Override
  public Integer call() throws Exception {
    try (dev.privseg.spec.Spec loader = dev.privseg.spec.Spec.load(specFile, root.environment)) {
      SegmentationPipeline pipeline = loader.pipeline();
      spec.commandLine().getOut().printf("spec ok: %s, for purpose '%s'%s%n",
          specFile.getFileName(), pipeline.purpose().id(),
          loader.anonymizes() ? ", with an anonymize stage" : "");
      return 0;
    }
  }
}
