package dev.privseg.cli;

import dev.privseg.consent.CheckpointCheck;
import dev.privseg.consent.CheckpointSigner;
import dev.privseg.consent.CheckpointVerifier;
import dev.privseg.consent.ConsentException;
import dev.privseg.consent.SignedCheckpoint;
import dev.privseg.consent.ledger.Checkpoint;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.consent.ledger.Verification;
import dev.privseg.signals.PrivacySignals;
import dev.privseg.signals.SignalMapping;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.PrivsegException;
import dev.privseg.core.PurposeId;
import dev.privseg.core.SubjectId;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.LongColumn;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.io.CsvReader;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code privseg consent import|signal|verify|checkpoint|checkpoint-keys|forget-run|forget-runs|
 * runs}: record consents in the ledger, check it against signed checkpoints, and list and forget
 * registered runs.
 */
@Command(name = "consent", mixinStandardHelpOptions = true,
    description = "Record consents and privacy signals in the consent ledger, or verify it.",
    subcommands = {ConsentCommand.Import.class, ConsentCommand.Signal.class,
        ConsentCommand.Verify.class, ConsentCommand.SignCheckpoint.class,
        ConsentCommand.CheckpointKeys.class, ConsentCommand.ForgetRun.class,
        ConsentCommand.ForgetRuns.class, ConsentCommand.Runs.class})
final class ConsentCommand {
  @ParentCommand
  PrivsegCli root;

  /** The columns of a consent CSV file. */
  static final Schema CONSENT_CSV = Schema.builder()
      .subjectId("subject_id")
      .add(new Field("purpose", FieldType.TEXT, PrivacyRole.OTHER, true, List.of()))
      .add(new Field("event", FieldType.TEXT, PrivacyRole.OTHER, true, List.of()))
      .add(new Field("occurred_at", FieldType.TIMESTAMP, PrivacyRole.OTHER, true, List.of()))
      .add(new Field("source", FieldType.TEXT, PrivacyRole.OTHER, true, List.of()))
      .field("notice_version", FieldType.TEXT, PrivacyRole.OTHER)
      .add(new Field("actor", FieldType.TEXT, PrivacyRole.OTHER, true, List.of()))
      .field("proof_reference", FieldType.TEXT, PrivacyRole.OTHER)
      .build();

  /**
   * What every consent subcommand has: its parent (the environment), its own spec (for output)
   * and where the consent database is.
   */
  abstract static class OnDatabase implements Callable<Integer> {
    @ParentCommand
    ConsentCommand parent;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    LedgerOptions ledgerOptions;
  }

  /** {@code privseg consent import FILE.csv}. */
  @Command(name = "import", mixinStandardHelpOptions = true, description = "Import consent "
      + "events from CSV: subject_id, purpose, event (e.g. CONSENT_GIVEN), occurred_at "
      + "(ISO-8601), source (e.g. WEB_FORM), notice_version, actor, proof_reference.")
  static final class Import extends OnDatabase {
    @Parameters(index = "0", paramLabel = "FILE.csv", description = "The consent events.")
    Path file;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "10000",
        description = "Events appended per transaction (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--part-size", paramLabel = "N", defaultValue = "65536",
        description = "Rows read and keyed together (default: ${DEFAULT-VALUE}): the file is "
            + "read a part at a time, so memory grows with this, not with the file. A JDBC "
            + "directory keys a part of at least 65,536 rows, and a quarter of its size, with "
            + "one scan instead of lookups, several times faster for a first import.")
    int partSize;

    @Override
    public Integer call() throws Exception {
      positive("--batch-size", batchSize);
      positive("--part-size", partSize);
      Map<String, String> env = parent.root.environment;
      CsvReader csv = CsvReader.builder().optionalColumns(true).build();
      // Every row is checked before anything is keyed or written, so a bad row leaves no trace:
      // a first reading checks, a second imports, each holding one part of the file at a time.
      // (The file must not change in between; a row that then fails stops the import there.)
      Counts checked = new Counts();
      csv.readBatches(file, CONSENT_CSV, partSize, part -> {
        for (int r = 0; r < part.rowCount(); r++) {
          draft(part, r, checked.rowsBefore + r + 1);
        }
        checked.rowsBefore += part.rowCount();
      });
      try (ConsentDatabase db = ledgerOptions.open(env)) {
        ConsentLedger ledger = db.ledger(ledgerOptions.keyer(env));
        Counts counts = new Counts();
        csv.readBatches(file, CONSENT_CSV, partSize, part -> {
          StringColumn ids = part.column("subject_id", StringColumn.class);
          List<SubjectId> subjects = new ArrayList<>(part.rowCount());
          List<Function<SubjectKey, EventDraft>> events = new ArrayList<>(part.rowCount());
          for (int r = 0; r < part.rowCount(); r++) {
            subjects.add(SubjectId.of(ids.get(r)));
            events.add(draft(part, r, counts.rowsBefore + r + 1));
          }
          // Erased subjects get no key, and their rows are left out: an erasure is final, and
          // a re-import of a CRM's consent history must not bring the person back.
          List<Optional<SubjectKey>> keys = ledger.keysOf(subjects);
          List<EventDraft> drafts = new ArrayList<>(events.size());
          for (int i = 0; i < events.size(); i++) {
            if (keys.get(i).isPresent()) {
              drafts.add(events.get(i).apply(keys.get(i).get()));
            }
          }
          for (int from = 0; from < drafts.size(); from += batchSize) {
            ledger.appendAll(drafts.subList(from, Math.min(drafts.size(), from + batchSize)));
          }
          counts.rowsBefore += part.rowCount();
          counts.imported += drafts.size();
          counts.leftOut += events.size() - drafts.size();
        });
        spec.commandLine().getOut().printf(Locale.ROOT,
            "imported %,d consent events into %s (%,d events in all)%s%n", counts.imported,
            ledger.description(), ledger.size(), counts.leftOut == 0 ? ""
                : String.format(Locale.ROOT, "; left out %,d events of erased subjects",
                    counts.leftOut));
      }
      return 0;
    }

    /** An import's progress through the file. */
    private static final class Counts {
      /** Rows of the file before the current part. */
      long rowsBefore;
      /** Events appended. */
      long imported;
      /** Events of erased subjects, left out. */
      long leftOut;
    }

    private void positive(String option, int value) {
      if (value < 1) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            option + " must be at least 1 but was " + value);
      }
    }

    /** Stands in for a subject's key while a row is checked: no check depends on the key. */
    private static final SubjectKey CHECKING = new SubjectKey(0, 0);

    /**
     * Row {@code r} of {@code rows}, the file's row {@code fileRow}, parsed and checked, as an
     * event for whichever ledger key the subject gets.
     */
    private static Function<SubjectKey, EventDraft> draft(Dataset rows, int r, long fileRow) {
      String row = "row " + fileRow;
      EventType type = enumOf(EventType.class, text(rows, "event", r), row + ", field 'event'");
      EventSource source = enumOf(EventSource.class, text(rows, "source", r),
          row + ", field 'source'");
      Instant occurred = Instant.ofEpochMilli(rows.column("occurred_at", LongColumn.class).get(r));
      Function<SubjectKey, EventDraft> event;
      try {
        PurposeId purpose = PurposeId.of(text(rows, "purpose", r));
        String notice = text(rows, "notice_version", r);
        String actor = text(rows, "actor", r);
        String proof = text(rows, "proof_reference", r);
        event = key -> new EventDraft(key, purpose, type, occurred, source, notice, actor, proof);
        event.apply(CHECKING);
      } catch (PrivsegException e) {
        throw new ConfigurationException(row + ": " + e.getMessage());
      }
      return event;
    }

    private static String text(Dataset rows, String field, int r) {
      Column c = rows.column(field);
      return c.isNull(r) ? "" : ((StringColumn) c).get(r);
    }
  }

  /**
   * {@code privseg consent verify [--checkpoint FILE|SEQ:HASH [--public-key FILE]]}: checks the
   * ledger's hash chain, against a signed checkpoint (or a bare head) kept outside the database
   * when one is given. Needs no secret; exits 1 naming the first broken link or the rewritten
   * runs. Says what it can and cannot detect, and prints the head.
   */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Check the consent ledger's hash chain (no secret needed), against a signed "
          + "checkpoint kept outside the database if given; exit 1 if broken. Without one it "
          + "cannot detect events removed from the end, or a chain rewritten with its hashes "
          + "recomputed.")
  static final class Verify extends OnDatabase {
    @Mixin
    CheckpointOptions checkpoints;

    @Option(names = "--tsa-cert", paramLabel = "FILE", description = "The certificate (PEM) of "
        + "the time-stamping authority that stamped the checkpoint file: its time stamp must "
        + "be that authority's and cover the checkpoint.")
    Path tsaCert;

    @Override
    public Integer call() {
      CheckpointVerifier verifier = checkpoints.verifier().orElse(null);
      SignedCheckpoint signed = checkpoints.signed().orElse(null);
      Checkpoint expected = checkpoints.head().orElse(null);
      if (tsaCert != null && signed == null) {
        throw new ConfigurationException("--tsa-cert checks a checkpoint file's time stamp: "
            + "give it with --checkpoint FILE");
      }
      Instant stampedAt = tsaCert == null ? null
          : dev.privseg.consent.CheckpointTimestamps.verify(signed, tsaCert);
      try (ConsentDatabase db = ledgerOptions.openExisting(parent.root.environment)) {
        PrintWriter out = spec.commandLine().getOut();
        Verification v;
        List<String> forgotten = List.of();
        if (signed != null) {
          CheckpointCheck check = verifier.check(signed, db.store(), db.memberships());
          if (!check.holds()) {
            throw new ConsentException("consent database " + db.store().description()
                + " does not match the checkpoint of " + signed.issuedAt() + ": "
                + check.problem());
          }
          v = check.ledger();
          forgotten = check.runsForgotten();
          expected = signed.ledgerHead().orElse(null);
        } else {
          v = ConsentLedger.verify(db.store(), expected);
          if (!v.intact()) {
            throw new ConsentException("consent ledger in " + db.store().description()
                + " is broken at event " + v.firstBrokenSequence() + ": " + v.problem());
          }
        }
        out.printf(Locale.ROOT, "intact: %,d events in %s, hash chain unbroken%s%n",
            v.eventsChecked(), db.store().description(), expected == null ? ""
                : ", checkpoint event " + expected.sequence() + " unchanged");
        if (signed != null) {
          out.printf(Locale.ROOT, "checkpoint: signed %s with key %s; %,d sealed run "
              + "record(s) unchanged%s%n", signed.issuedAt(), signed.keyId(),
              signed.runs().size() - forgotten.size(), forgotten.isEmpty() ? ""
                  : ", " + forgotten.size() + " forgotten since: " + String.join(", ",
                      forgotten));
          if (stampedAt != null) {
            out.printf(Locale.ROOT, "time stamp: %s, by the authority of %s%n", stampedAt,
                tsaCert);
          }
        }
        out.println("detects:  an event altered, removed or reordered before the last one "
            + "without every later hash recomputed"
            + (expected == null ? "" : "; any change up to the checkpoint"));
        out.println("cannot detect: " + (expected == null ? "events removed from the end, or "
            + "the chain rewritten with its hashes recomputed (the hashes are unkeyed): keep a "
            + "signed checkpoint ('privseg consent checkpoint') outside the database and pass "
            + "it as --checkpoint next time"
            : "events after the checkpoint removed from the end, or rewritten with their "
                + "hashes recomputed: sign checkpoints often"));
        out.println("head:     " + v.head().map(Checkpoint::toString).orElse("(no events)"));
        return 0;
      }
    }
  }

  /**
   * {@code privseg consent checkpoint --key FILE --out FILE}: signs a checkpoint of the ledger's
   * head and every registered run's record digest, to keep outside the database.
   */
  @Command(name = "checkpoint", mixinStandardHelpOptions = true,
      description = "Sign a checkpoint of the consent database (the ledger's head and each "
          + "registered run's record digest) with the controller's Ed25519 key, to keep "
          + "outside the database; 'consent verify --checkpoint' checks against it.")
  static final class SignCheckpoint extends OnDatabase {
    @Option(names = "--key", required = true, paramLabel = "FILE",
        description = "The Ed25519 private key (PKCS#8 PEM).")
    Path key;

    @Option(names = "--out", required = true, paramLabel = "FILE",
        description = "Where to write the checkpoint (never overwritten).")
    Path outFile;

    @Option(names = "--tsa", paramLabel = "URL", description = "An RFC 3161 time-stamping "
        + "authority to countersign the checkpoint with the time it saw it.")
    java.net.URI tsa;

    @Override
    public Integer call() {
      CheckpointSigner signer = CheckpointSigner.load(key);
      try (ConsentDatabase db = ledgerOptions.openExisting(parent.root.environment)) {
        SignedCheckpoint signed = signer.sign(db.store(), db.memberships(), Instant.now());
        if (tsa != null) {
          signed = dev.privseg.consent.CheckpointTimestamps.request(signed, tsa,
              java.time.Duration.ofSeconds(30));
        }
        signed.write(outFile);
        spec.commandLine().getOut().printf(Locale.ROOT, "signed checkpoint of %s: head %s, "
            + "%,d run record(s), key %s%s, written to %s%n", db.store().description(),
            signed.ledgerHead().map(Checkpoint::toString).orElse("(no events)"),
            signed.runs().size(), signed.keyId(), tsa == null ? "" : ", time-stamped by " + tsa,
            outFile);
        return 0;
      }
    }
  }

  /** {@code privseg consent checkpoint-keys --key FILE --public-key FILE}. */
  @Command(name = "checkpoint-keys", mixinStandardHelpOptions = true,
      description = "Make an Ed25519 key pair for signing checkpoints: the private key (owner "
          + "read-only) stays with the controller, the public key goes to auditors.")
  static final class CheckpointKeys implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--key", required = true, paramLabel = "FILE",
        description = "Where to write the private key (PKCS#8 PEM; never overwritten).")
    Path key;

    @Option(names = "--public-key", required = true, paramLabel = "FILE",
        description = "Where to write the public key (X.509 PEM; never overwritten).")
    Path publicKey;

    @Override
    public Integer call() {
      CheckpointSigner.generateKeys(key, publicKey);
      spec.commandLine().getOut().printf(Locale.ROOT, "key %s: private key in %s (keep it "
          + "secret), public key in %s (give it to auditors)%n",
          CheckpointSigner.load(key).keyId(), key, publicKey);
      return 0;
    }
  }

  /** {@code privseg consent forget-run RUN_ID}: storage limitation for registered runs. */
  @Command(name = "forget-run", mixinStandardHelpOptions = true,
      description = "Forget a registered run (its id is the processing record's runId) and "
          + "every segment membership in it, once its segments are no longer used.")
  static final class ForgetRun extends OnDatabase {
    @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run's id.")
    String runId;

    @Override
    public Integer call() {
      try (ConsentDatabase db = ledgerOptions.openExisting(parent.root.environment)) {
        int removed = db.memberships().forgetRun(runId);
        spec.commandLine().getOut().printf(Locale.ROOT,
            "forgot %,d segment memberships of run %s%n", removed, runId);
        return 0;
      }
    }
  }

  /** {@code privseg consent forget-runs --older-than P90D}: storage limitation by age. */
  @Command(name = "forget-runs", mixinStandardHelpOptions = true,
      description = "Forget every run registered longer ago than a period, and every segment "
          + "membership in those runs. Runs registered before privseg recorded registration "
          + "times (consent schema version 8) are kept: forget those with forget-run.")
  static final class ForgetRuns extends OnDatabase {
    @Option(names = "--older-than", required = true, paramLabel = "PERIOD",
        description = "An ISO-8601 period back from now, e.g. P90D or P6M.")
    String olderThan;

    @Override
    public Integer call() {
      java.time.Period period;
      try {
        period = java.time.Period.parse(olderThan);
      } catch (java.time.format.DateTimeParseException e) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "--older-than must be an ISO-8601 period such as P90D or P6M but was '"
                + olderThan + "'");
      }
      if (period.isNegative()) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "--older-than must not be negative but was " + period);
      }
      Instant cutoff = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).minus(period)
          .toInstant();
      try (ConsentDatabase db = ledgerOptions.openExisting(parent.root.environment)) {
        int removed = db.memberships().forgetRunsRegisteredBefore(cutoff);
        spec.commandLine().getOut().printf(Locale.ROOT,
            "forgot %,d segment memberships of runs registered before %s%n", removed, cutoff);
        return 0;
      }
    }
  }

  /** {@code privseg consent runs}. */
  @Command(name = "runs", mixinStandardHelpOptions = true, description = "List the registered "
      + "runs and where their members stand now: how many still have a lawful basis for the "
      + "run's purpose and how many lost it since, by reason (a stale run).")
  static final class Runs extends OnDatabase {
    @Mixin
    PurposeOptions purposes;

    @Override
    public Integer call() {
      Map<String, String> env = parent.root.environment;
      Instant now = Instant.now();
      try (ConsentDatabase db = ledgerOptions.openExisting(env)) {
        dev.privseg.consent.Activations activations = new dev.privseg.consent.Activations(
            db.ledger(ledgerOptions.keyer(env)), purposes.policies(), db.memberships(),
            db.activations());
        var out = spec.commandLine().getOut();
        var runs = db.memberships().runs();
        for (var run : runs) {
          try {
            var s = activations.standing(run.runId(), now);
            out.printf(Locale.ROOT, "%s  %s  %,d members, %,d with a basis now%s%n",
                run.runId(), run.purpose(), s.members(), s.held(), s.isStale()
                    ? "; STALE: lost " + s.lost() : "");
          } catch (dev.privseg.consent.ConsentException e) {
            out.printf(Locale.ROOT, "%s  %s  %,d members; not decided: %s%n", run.runId(),
                run.purpose(), run.members(), e.getMessage());
          }
        }
        out.println(runs.size() + " registered run" + (runs.size() == 1 ? "" : "s"));
      }
      return 0;
    }
  }

  static <E extends Enum<E>> E enumOf(Class<E> type, String value, String where) {
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(where + " must be one of "
          + java.util.Arrays.toString(type.getEnumConstants()));
    }
  }

  /** {@code privseg consent signal --subject ID --gpp STRING ...}. */
  @Command(name = "signal", mixinStandardHelpOptions = true,
      description = "Record a privacy signal (GPP, TCF v2.2, US Privacy or GPC) for a subject.")
  static final class Signal extends OnDatabase {
    @Option(names = "--subject", required = true, description = "The subject's identifier.")
    String subject;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Kind kind;

    static final class Kind {
      @Option(names = "--gpp", description = "A GPP string.")
      String gpp;
      @Option(names = "--tcf", description = "A TCF v2.2 TC string.")
      String tcf;
      @Option(names = "--usp", description = "A US Privacy string, e.g. 1YYN.")
      String usp;
      @Option(names = "--gpc", description = "The Sec-GPC header value (1).")
      String gpc;
    }

    @Option(names = "--tcf-purpose", paramLabel = "N=PURPOSE", description = "TCF purpose N "
        + "stands for privseg purpose PURPOSE (repeatable).")
    Map<Integer, String> tcfPurposes = Map.of();

    @Option(names = "--opt-out-purpose", paramLabel = "PURPOSE", description = "A purpose that "
        + "US opt-outs affect (repeatable; default: every purpose).")
    List<String> optOutPurposes = List.of();

    @Option(names = "--gpc-opt-out", description = "Treat Global Privacy Control as an opt-out "
        + "of sale and sharing.")
    boolean gpcOptOut;

    @Override
    public Integer call() {
      Map<String, String> env = parent.root.environment;
      SignalMapping.Builder mapping = SignalMapping.builder().gpcMeansOptOut(gpcOptOut);
      tcfPurposes.forEach((n, p) -> mapping.tcfPurpose(n, PurposeId.of(p)));
      optOutPurposes.forEach(p -> mapping.optOutAffects(PurposeId.of(p)));
      PrivacySignals signals = PrivacySignals.with(mapping.build());
      try (ConsentDatabase db = ledgerOptions.open(env)) {
        ConsentLedger ledger = db.ledger(ledgerOptions.keyer(env));
        SubjectKey key = ledger.keyOf(SubjectId.of(subject));
        Instant now = Instant.now();
        List<EventDraft> events = kind.gpp != null ? signals.fromGpp(kind.gpp, key, now)
            : kind.tcf != null ? signals.fromTcString(kind.tcf, key, now)
            : kind.usp != null ? signals.fromUsPrivacy(kind.usp, key, now)
            : signals.fromGpcHeader(kind.gpc, key, now);
        if (!events.isEmpty()) {
          ledger.appendAll(events);
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "recorded %d events from the signal%n",
            events.size());
      }
      return 0;
    }
  }
}
