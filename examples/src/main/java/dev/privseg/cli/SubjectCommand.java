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

/**
 * {@code privseg subject export|erase|object|restrict|lift-restriction|opt-out|rectify ID}: carry
 * out data subject requests. Every request is logged (who handled it, when, what was done),
 * without personal values.
 */
@Command(name = "subject", mixinStandardHelpOptions = true,
    description = "Carry out data subject requests: access export, erasure, objection, "
        + "restriction, opt-out of sale or sharing, rectification.",
    subcommands = {SubjectCommand.Export.class, SubjectCommand.Erase.class,
        SubjectCommand.Objection.class, SubjectCommand.Restrict.class,
        SubjectCommand.LiftRestriction.class, SubjectCommand.OptOut.class,
        SubjectCommand.Rectify.class})
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

    @Option(names = "--purpose", paramLabel = "ID[:BASIS]", description = "A purpose with a "
        + "policy: export reports the decision for it (and the state of every other purpose "
        + "the subject has events for), object records an objection to it (repeatable; "
        + "default marketing-segmentation:CONSENT).")
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
      try (ConsentDatabase db = common.ledgerOptions.openExisting(env)) {
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

  /**
   * A request recorded as it is made; prints the request log's outcome. The next run honours
   * it, since the gate reads the ledger.
   */
  abstract static class Request implements Callable<Integer> {
    @ParentCommand
    SubjectCommand parent;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    Common common;

    @Parameters(index = "0", paramLabel = "ID", description = "The subject's identifier.")
    String id;

    /** Carries the request out. */
    abstract void apply(SubjectRights rights, SubjectId subject, Instant at);

    /** What the printed outcome starts with. */
    String label() {
      return spec.name();
    }

    @Override
    public Integer call() {
      Map<String, String> env = parent.root.environment;
      try (ConsentDatabase db = common.ledgerOptions.openExisting(env)) {
        int before = db.requestLog().requests().size();
        apply(common.rights(db, env), SubjectId.of(id), Instant.now());
        var log = db.requestLog().requests();
        for (var request : log.subList(before, log.size())) {
          spec.commandLine().getOut().println(label() + ": " + request.outcome());
        }
      }
      return 0;
    }
  }

  /** {@code privseg subject object ID [--purpose P]...}. */
  @Command(name = "object", mixinStandardHelpOptions = true, description = "Record an "
      + "objection (GDPR Art. 21) to each --purpose; to direct-marketing profiling it is "
      + "absolute.")
  static final class Objection extends Request {
    @Override
    void apply(SubjectRights rights, SubjectId subject, Instant at) {
      for (ConsentPolicy p : common.policies()) {
        rights.object(subject, p.purpose().id(), at, common.actor);
      }
    }
  }

  /** {@code privseg subject restrict ID}. */
  @Command(name = "restrict", mixinStandardHelpOptions = true,
      description = "Restrict all processing of a subject (GDPR Art. 18) until lifted.")
  static final class Restrict extends Request {
    @Override
    void apply(SubjectRights rights, SubjectId subject, Instant at) {
      rights.restrict(subject, at, common.actor);
    }
  }

  /** {@code privseg subject lift-restriction ID}. */
  @Command(name = "lift-restriction", mixinStandardHelpOptions = true,
      description = "Lift a restriction of processing (GDPR Art. 18(3)).")
  static final class LiftRestriction extends Request {
    @Override
    void apply(SubjectRights rights, SubjectId subject, Instant at) {
      rights.liftRestriction(subject, at, common.actor);
    }
  }

  /** {@code privseg subject opt-out ID}. */
  @Command(name = "opt-out", mixinStandardHelpOptions = true,
      description = "Record an opt-out of sale or sharing, for every purpose (CCPA/CPRA).")
  static final class OptOut extends Request {
    @Override
    void apply(SubjectRights rights, SubjectId subject, Instant at) {
      rights.optOutOfSaleOrSharing(subject, at, common.actor);
    }
  }

  /** {@code privseg subject rectify ID --field NAME}. */
  @Command(name = "rectify", mixinStandardHelpOptions = true, description = "Log a "
      + "rectification request (GDPR Art. 16) for a field: the correction itself is made in "
      + "the controller's data, which the next run reads.")
  static final class Rectify extends Request {
    @Option(names = "--field", required = true, description = "The field to correct.")
    String field;

    @Override
    void apply(SubjectRights rights, SubjectId subject, Instant at) {
      rights.rectify(subject, field, at, common.actor);
    }
  }

  /** {@code privseg subject erase ID}. */
  @Command(name = "erase", mixinStandardHelpOptions = true, description = "Erase a subject "
      + "(GDPR Art. 17): later runs exclude it and its pseudonym becomes unlinkable.")
  static final class Erase extends Request {
    @Override
    void apply(SubjectRights rights, SubjectId subject, Instant at) {
      rights.erase(subject, at, common.actor);
    }

    @Override
    String label() {
      return "erased";
    }
  }
}
