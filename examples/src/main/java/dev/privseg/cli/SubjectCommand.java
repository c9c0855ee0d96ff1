package dev.privseg.cli;

import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.directory.DirectoryPseudonymizer;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.rights.AccessExport;
import dev.privseg.consent.rights.RequestRegime;
import dev.privseg.consent.rights.RequestType;
import dev.privseg.consent.rights.SubjectRequest;
import dev.privseg.consent.rights.SubjectRights;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
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
 * out data subject requests; {@code receive}, {@code extend}, {@code refuse} and
 * {@code requests}: log requests as they arrive, with their time limits, and list what is open,
 * overdue or due soon. Every request is logged (who handled it, when, its time limit, what was
 * done), without personal values.
 */
@Command(name = "subject", mixinStandardHelpOptions = true,
    description = "Carry out data subject requests (access export, erasure, objection, "
        + "restriction, opt-out of sale or sharing, rectification) and track their time "
        + "limits.",
    subcommands = {SubjectCommand.Export.class, SubjectCommand.Erase.class,
        SubjectCommand.Objection.class, SubjectCommand.Restrict.class,
        SubjectCommand.LiftRestriction.class, SubjectCommand.OptOut.class,
        SubjectCommand.Rectify.class, SubjectCommand.Receive.class, SubjectCommand.Extend.class,
        SubjectCommand.Refuse.class, SubjectCommand.Requests.class})
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

    @Mixin
    PurposeOptions purposes;

    @Option(names = "--regime", paramLabel = "GDPR|CCPA", defaultValue = "GDPR",
        description = "The law whose time limits a request logged now runs under: GDPR (one "
            + "month, extendable by two) or CCPA (45 days, extendable by 45; opt-outs 15 "
            + "business days) (default: ${DEFAULT-VALUE}).")
    String regime;

    @Option(names = "--zone", defaultValue = "UTC", description = "The controller's time zone, "
        + "where a time limit's last day ends (default: ${DEFAULT-VALUE}).")
    String zone;

    List<ConsentPolicy> policies() {
      return purposes.policies();
    }

    SubjectRights rights(ConsentDatabase db, Map<String, String> env) {
      ConsentLedger ledger = db.ledger(ledgerOptions.keyer(env));
      java.time.ZoneId controllerZone;
      try {
        controllerZone = java.time.ZoneId.of(zone);
      } catch (java.time.DateTimeException e) {
        throw new dev.privseg.core.ConfigurationException("--zone must be a time zone such as "
            + "UTC or Europe/Berlin");
      }
      return new SubjectRights(ledger, policies(), DirectoryPseudonymizer.of(ledger),
          db.memberships(), db.requestLog()).withDeadlines(ConsentCommand.enumOf(
              RequestRegime.class, regime, "--regime"), controllerZone);
    }
  }

  /** A subject command: the parent's environment, the output, the shared options. */
  abstract static class OnDatabase implements Callable<Integer> {
    @ParentCommand
    SubjectCommand parent;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    Common common;
  }

  /** {@code privseg subject export ID}. */
  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write everything held about a subject as JSON (GDPR Art. 15 and 20).")
  static final class Export extends OnDatabase {

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
  abstract static class Request extends OnDatabase {

    @Parameters(index = "0", paramLabel = "ID", description = "The subject's identifier.")
    String id;

    /** Carries the request out; returns what the log holds of it. */
    abstract List<SubjectRequest> apply(SubjectRights rights, SubjectId subject, Instant at);

    /** What the printed outcome starts with. */
    String label() {
      return spec.name();
    }

    @Override
    public Integer call() {
      Map<String, String> env = parent.root.environment;
      try (ConsentDatabase db = common.ledgerOptions.openExisting(env)) {
        for (SubjectRequest request : apply(common.rights(db, env), SubjectId.of(id),
            Instant.now())) {
          spec.commandLine().getOut().println(label() + ": " + request.outcome()
              + answered(request));
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
    List<SubjectRequest> apply(SubjectRights rights, SubjectId subject, Instant at) {
      List<SubjectRequest> out = new ArrayList<>();
      for (ConsentPolicy p : common.policies()) {
        out.add(rights.object(subject, p.purpose().id(), at, common.actor));
      }
      return out;
    }
  }

  /** {@code privseg subject restrict ID}. */
  @Command(name = "restrict", mixinStandardHelpOptions = true,
      description = "Restrict all processing of a subject (GDPR Art. 18) until lifted.")
  static final class Restrict extends Request {
    @Override
    List<SubjectRequest> apply(SubjectRights rights, SubjectId subject, Instant at) {
      return List.of(rights.restrict(subject, at, common.actor));
    }
  }

  /** {@code privseg subject lift-restriction ID}. */
  @Command(name = "lift-restriction", mixinStandardHelpOptions = true,
      description = "Lift a restriction of processing (GDPR Art. 18(3)).")
  static final class LiftRestriction extends Request {
    @Override
    List<SubjectRequest> apply(SubjectRights rights, SubjectId subject, Instant at) {
      return List.of(rights.liftRestriction(subject, at, common.actor));
    }
  }

  /** {@code privseg subject opt-out ID}. */
  @Command(name = "opt-out", mixinStandardHelpOptions = true,
      description = "Record an opt-out of sale or sharing, for every purpose (CCPA/CPRA).")
  static final class OptOut extends Request {
    @Override
    List<SubjectRequest> apply(SubjectRights rights, SubjectId subject, Instant at) {
      return List.of(rights.optOutOfSaleOrSharing(subject, at, common.actor));
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
    List<SubjectRequest> apply(SubjectRights rights, SubjectId subject, Instant at) {
      return List.of(rights.rectify(subject, field, at, common.actor));
    }
  }

  /** {@code privseg subject erase ID}. */
  @Command(name = "erase", mixinStandardHelpOptions = true, description = "Erase a subject "
      + "(GDPR Art. 17): later runs exclude it and its pseudonym becomes unlinkable.")
  static final class Erase extends Request {
    @Override
    List<SubjectRequest> apply(SubjectRights rights, SubjectId subject, Instant at) {
      return List.of(rights.erase(subject, at, common.actor));
    }

    @Override
    String label() {
      return "erased";
    }
  }

  /** An instant to the second, for a table. */
  static String seconds(Instant at) {
    return at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  /** What an answer adds about the request it answered, if that was received earlier. */
  static String answered(SubjectRequest r) {
    if (r.closedAt() == null || !r.closedAt().isAfter(r.receivedAt())) {
      return "";
    }
    return " (answers request " + r.requestId() + ", received " + seconds(r.receivedAt())
        + ", due by " + r.dueAt() + (r.wasAnsweredLate() ? ": LATE" : ": on time") + ")";
  }

  /** {@code privseg subject receive ID --type TYPE [--received TIME]}. */
  @Command(name = "receive", mixinStandardHelpOptions = true, description = "Log a request "
      + "as it arrives, to answer later: it is open, with its time limit, until the next "
      + "request of its type carried out for the subject answers it.")
  static final class Receive extends OnDatabase {

    @Parameters(index = "0", paramLabel = "ID", description = "The subject's identifier.")
    String id;

    @Option(names = "--type", required = true, paramLabel = "TYPE", description = "What is "
        + "asked: ACCESS, RECTIFICATION, RESTRICTION, RESTRICTION_LIFTED, OBJECTION, OPT_OUT "
        + "or ERASURE.")
    String type;

    @Option(names = "--received", paramLabel = "TIME", description = "When it arrived, as "
        + "2027-01-31T09:00:00Z (default: now).")
    String received;

    @Override
    public Integer call() {
      Map<String, String> env = parent.root.environment;
      RequestType kind = ConsentCommand.enumOf(RequestType.class, type, "--type");
      Instant at;
      try {
        at = received == null ? Instant.now() : Instant.parse(received);
      } catch (java.time.format.DateTimeParseException e) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "--received must be an instant such as 2027-01-31T09:00:00Z");
      }
      try (ConsentDatabase db = common.ledgerOptions.openExisting(env)) {
        SubjectRequest r = common.rights(db, env).receive(SubjectId.of(id), kind, at,
            common.actor);
        spec.commandLine().getOut().println((r.isOpen() ? "received request " : "answered "
            + "request ") + r.requestId() + ": " + r.type() + " under " + r.regime()
            + ", due by " + r.dueAt() + (r.isOpen() ? "" : "; " + r.outcome()));
      }
      return 0;
    }
  }

  /** A command on one logged request: extend or refuse it, with a reason. */
  abstract static class OnRequest extends OnDatabase {

    @Parameters(index = "0", paramLabel = "REQUEST_ID", description = "The request's id, as "
        + "'receive' and 'requests' print it.")
    String requestId;

    @Option(names = "--reason", required = true, description = "Why, as the subject is told "
        + "it; no personal values.")
    String reason;

    abstract SubjectRequest apply(SubjectRights rights, Instant at);

    @Override
    public Integer call() {
      Map<String, String> env = parent.root.environment;
      try (ConsentDatabase db = common.ledgerOptions.openExisting(env)) {
        SubjectRequest r = apply(common.rights(db, env), Instant.now());
        spec.commandLine().getOut().println("request " + r.requestId() + ": " + r.status()
            + (r.isOpen() ? ", due by " + r.dueAt() : "; " + r.outcome()));
      }
      return 0;
    }
  }

  /** {@code privseg subject extend REQUEST_ID --reason TEXT}. */
  @Command(name = "extend", mixinStandardHelpOptions = true, description = "Extend an open "
      + "request's time limit once, within it (GDPR: two further months; CCPA: 45 days).")
  static final class Extend extends OnRequest {
    @Override
    SubjectRequest apply(SubjectRights rights, Instant at) {
      return rights.extend(requestId, reason, at, common.actor);
    }
  }

  /** {@code privseg subject refuse REQUEST_ID --reason TEXT}. */
  @Command(name = "refuse", mixinStandardHelpOptions = true, description = "Answer an open "
      + "request with a refusal and its reason (GDPR Art. 12(4) and (5)).")
  static final class Refuse extends OnRequest {
    @Override
    SubjectRequest apply(SubjectRights rights, Instant at) {
      return rights.refuse(requestId, reason, at, common.actor);
    }
  }

  /** {@code privseg subject requests [--open | --overdue | --due-within DAYS] [--json]}. */
  @Command(name = "requests", mixinStandardHelpOptions = true, description = "List the "
      + "logged requests with their time limits: all, the open ones, the overdue ones or those "
      + "due soon. Subjects are not shown.")
  static final class Requests implements Callable<Integer> {
    @ParentCommand
    SubjectCommand parent;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    LedgerOptions ledgerOptions;

    @Option(names = "--open", description = "Only the requests awaiting their answer.")
    boolean open;

    @Option(names = "--overdue", description = "Only the open requests past their time "
        + "limit.")
    boolean overdue;

    @Option(names = "--due-within", paramLabel = "DAYS", description = "Only the open "
        + "requests not yet overdue and due within this many days.")
    Integer dueWithin;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      if (dueWithin != null && dueWithin < 0) {
        throw new dev.privseg.core.ConfigurationException("--due-within must be 0 or more days");
      }
      Instant now = Instant.now();
      List<SubjectRequest> shown;
      try (ConsentDatabase db = ledgerOptions.openExisting(parent.root.environment)) {
        shown = open || overdue || dueWithin != null ? db.requestLog().open()
            : db.requestLog().requests();
      }
      shown = shown.stream().filter(r -> !overdue || r.isOverdue(now))
          .filter(r -> dueWithin == null
              || r.isDueWithin(now, java.time.Duration.ofDays(dueWithin)))
          .toList();
      var out = spec.commandLine().getOut();
      if (json) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SubjectRequest r : shown) {
          Map<String, Object> row = new java.util.LinkedHashMap<>();
          row.put("requestId", r.requestId());
          row.put("type", r.type().name());
          row.put("status", r.status().name());
          row.put("regime", r.regime() == null ? null : r.regime().name());
          row.put("receivedAt", r.receivedAt().toString());
          row.put("dueAt", r.dueAt() == null ? null : r.dueAt().toString());
          row.put("extension", r.extension());
          row.put("closedAt", r.closedAt() == null ? null : r.closedAt().toString());
          row.put("overdue", r.isOverdue(now));
          row.put("answeredLate", r.wasAnsweredLate());
          row.put("actor", r.actor());
          row.put("outcome", r.outcome());
          rows.add(row);
        }
        out.println(new com.fasterxml.jackson.databind.ObjectMapper()
            .writerWithDefaultPrettyPrinter().writeValueAsString(rows));
        return 0;
      }
      out.printf(java.util.Locale.ROOT, "%-36s  %-18s  %-9s  %-20s  %-20s  %s%n", "REQUEST",
          "TYPE", "STATUS", "RECEIVED", "DUE BY", "ANSWERED");
      for (SubjectRequest r : shown) {
        out.printf(java.util.Locale.ROOT, "%-36s  %-18s  %-9s  %-20s  %-20s  %s%n",
            r.requestId(), r.type(), r.status(), seconds(r.receivedAt()),
            r.dueAt() == null ? "-" : seconds(r.dueAt()), r.closedAt() != null
                ? seconds(r.closedAt()) + (r.wasAnsweredLate() ? " LATE" : "")
                : r.isOverdue(now) ? "OVERDUE" : "");
      }
      out.println(shown.size() + " request" + (shown.size() == 1 ? "" : "s"));
      return 0;
    }
  }
}
