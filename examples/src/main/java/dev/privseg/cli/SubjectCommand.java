package dev.privseg.cli;

import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.directory.DirectoryPseudonymizer;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.rights.AccessExport;
import dev.privseg.consent.rights.SubjectRights;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.LawfulBasis;
import dev.privseg.core.Purpose;
import dev.privseg.core.SubjectId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code privseg subject export|erase ID}: carry out data subject rights. */
@Command(name = "subject", mixinStandardHelpOptions = true,
    description = "Carry out data subject requests: access export and erasure.",
    subcommands = {SubjectCommand.Export.class, SubjectCommand.Erase.class})
final class SubjectCommand {
  @ParentCommand
  PrivsegCli root;

  /** Options shared by the subject commands. */
  static final class Common {
    @Mixin
    LedgerOptions ledgerOptions;

    @Option(names = "--actor", defaultValue = "privseg-cli",
        description = "Who handles the request, for the request log (default: ${DEFAULT-VALUE}).")
    String actor;

    @Option(names = "--purpose", paramLabel = "ID[:BASIS]", description = "A purpose to report "
        + "the state for (repeatable; default marketing-segmentation:CONSENT).")
    List<String> purposes = List.of("marketing-segmentation:CONSENT");

    List<ConsentPolicy> policies() {
      List<ConsentPolicy> out = new ArrayList<>();
      for (String p : purposes) {
        String[] parts = p.split(":", 2);
        LawfulBasis basis = parts.length > 1 ? ConsentCommand.enumOf(LawfulBasis.class,
            parts[1], "--purpose " + parts[0]) : LawfulBasis.CONSENT;
        out.add(ConsentPolicy.forPurpose(Purpose.of(parts[0], "purpose " + parts[0], basis))
            .build());
      }
      return out;
    }

    SubjectRights rights(ConsentDatabase db, Map<String, String> env) {
      ConsentLedger ledger = db.ledger(ledgerOptions.keyer(env));
      return new SubjectRights(ledger, policies(), DirectoryPseudonymizer.of(ledger),
          db.memberships(), db.requestLog());
    }
  }

  /** {@code privseg subject export ID}. */
  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write everything held about a subject as JSON (GDPR Art. 15 and 20).")
  static final class Export implements Callable<Integer> {
    @ParentCommand
    SubjectCommand parent;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    Common common;

    @Parameters(index = "0", paramLabel = "ID", description = "The subject's identifier.")
    String id;

    @Option(names = "--out", description = "Write the JSON here instead of standard output.")
    Path out;

    @Override
    public Integer call() throws Exception {
      Map<String, String> env = parent.root.environment;
      try (ConsentDatabase db = common.ledgerOptions.open(env)) {
        AccessExport export = common.rights(db, env).access(SubjectId.of(id), Instant.now(),
            common.actor);
        if (out != null) {
          Files.writeString(out, export.toJson());
          spec.commandLine().getOut().println("wrote " + out + " (" + export + ")");
        } else {
          spec.commandLine().getOut().println(export.toJson());
        }
      }
      return 0;
    }
  }

  /** {@code privseg subject erase ID}. */
  @Command(name = "erase", mixinStandardHelpOptions = true, description = "Erase a subject "
      + "(GDPR Art. 17): later runs exclude it and its pseudonym becomes unlinkable.")
  static final class Erase implements Callable<Integer> {
    @ParentCommand
    SubjectCommand parent;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    Common common;

    @Parameters(index = "0", paramLabel = "ID", description = "The subject's identifier.")
    String id;

    @Override
    public Integer call() {
      Map<String, String> env = parent.root.environment;
      try (ConsentDatabase db = common.ledgerOptions.open(env)) {
        common.rights(db, env).erase(SubjectId.of(id), Instant.now(), common.actor);
        var last = db.requestLog().requests();
        spec.commandLine().getOut().println("erased: " + last.get(last.size() - 1).outcome());
      }
      return 0;
    }
  }
}
