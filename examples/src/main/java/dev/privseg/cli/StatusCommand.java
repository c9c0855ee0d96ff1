package dev.privseg.cli;

import dev.privseg.anonymization.dp.PrivacyAccountant;
import dev.privseg.consent.ComplianceMonitor;
import dev.privseg.consent.ComplianceStatus;
import dev.privseg.consent.ConsentException;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.release.BudgetStatus;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code privseg status}: whether what is held and used is still compliant, across runs: the
 * ledger's integrity, consent per purpose, stale runs and runs past retention, activations,
 * open and overdue requests, privacy budgets. Read only; text or JSON.
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show compliance "
    + "across runs: the ledger's integrity (whole, or from a checkpoint kept outside the "
    + "database on), consent per purpose (with a basis now; grants, "
    + "withdrawals and lapses per week), stale runs and runs past retention, activations, open "
    + "and overdue subject requests, and privacy budgets. Read only (but --save-snapshot); "
    + "exit 1 if the ledger is broken.")
final class StatusCommand extends OnConsentDatabase {
  @Mixin
  PurposeOptions purposes;

  @Mixin
  CheckpointOptions checkpoints;

  @Option(names = "--json", description = "Print the status as JSON.")
  boolean json;

  @Option(names = "--html", paramLabel = "FILE", description = "Also write the status as a "
      + "self-contained HTML page (summary, charts, tables) for a data-protection officer.")
  java.nio.file.Path html;

  @Option(names = "--weeks", paramLabel = "N", defaultValue = "12",
      description = "Weeks of consent events to count (default: ${DEFAULT-VALUE}).")
  int weeks;

  @Option(names = "--keep-runs-for", paramLabel = "PERIOD", description = "How long runs may "
      + "be held (ISO-8601, e.g. P90D); older ones are listed as past retention. Default: the "
      + "spec's lawfulBasis.ledger.keepRunsFor.")
  String keepRunsFor;

  @Option(names = "--save-snapshot", description = "After the status, save a status snapshot "
      + "of each purpose at this instant (every subject's consent state, from the whole chain, "
      + "which must be intact), so that later statuses with a checkpoint read it and only the "
      + "events appended since: run it nightly, after 'consent checkpoint'.")
  boolean saveSnapshot;

  @Override
  public Integer call() {
    Map<String, String> env = root.environment;
    requireWritable(html, "--html");
    Period keep = keepRunsFor != null ? period(keepRunsFor) : purposes.keepRunsFor().orElse(null);
    java.util.Optional<dev.privseg.consent.ledger.Checkpoint> trusted =
        checkpoints.trustedHead();
    try (ConsentDatabase db = ledgerOptions.openExisting(env)) {
      ComplianceMonitor.Builder monitor = ComplianceMonitor.forLedger(
          db.ledger(ledgerOptions.keyer(env)))
          .policies(purposes.policies())
          .runs(db.memberships(), db.activations())
          .requests(db.requestLog())
          .budgets(() -> PrivacyAccountant.budgets(db.spendLog()))
          .weeks(weeks);
      if (keep != null) {
        monitor.keepRunsFor(keep);
      }
      trusted.ifPresent(monitor::trustedCheckpoint);
      monitor.snapshots(db.statusSnapshots());
      Instant now = Instant.now();
      ComplianceMonitor built = monitor.build();
      ComplianceStatus status = built.status(now);
      PrintWriter out = spec.commandLine().getOut();
      writePage(html, file -> dev.privseg.pages.StatusPage.write(status, file));
      if (json) {
        out.print(status.toJson());
        out.println();
      } else {
        print(out, status, db.store().description(), keep);
      }
      out.flush();
      if (!status.ledger().intact()) {
        throw new ConsentException("consent ledger in " + db.store().description()
            + " is broken: " + status.ledger().problem());
      }
      if (saveSnapshot) {
        for (dev.privseg.consent.StatusSnapshot saved : built.saveSnapshots(now)) {
          spec.commandLine().getErr().printf(Locale.ROOT, "saved the status snapshot of %s at "
              + "%s: %,d subjects, ledger event %,d%n", saved.purpose(), saved.foldedAt(),
              saved.subjects(), saved.headSequence());
        }
      }
      return 0;
    }
  }

  private static Period period(String text) {
    try {
      Period p = Period.parse(text);
      if (p.isNegative() || p.isZero()) {
        throw new ConfigurationException("--keep-runs-for must be a positive period");
      }
      return p;
    } catch (DateTimeParseException e) {
      throw new ConfigurationException("--keep-runs-for must be an ISO-8601 period such as "
          + "P90D or P6M", e);
    }
  }

  private static void print(PrintWriter out, ComplianceStatus s, String where, Period keep) {
    out.printf(Locale.ROOT, "compliance status at %s, %s%n", s.at(), where);
    ComplianceStatus.Ledger l = s.ledger();
    out.printf(Locale.ROOT, "ledger:    %s, %,d events checked%s%s%n",
        l.intact() ? "intact" : "BROKEN", l.eventsChecked(), l.checkedFrom() == 1 ? ""
            : String.format(Locale.ROOT, " from the checkpoint's event %,d on (the whole chain: "
                + "privseg consent verify)", l.checkedFrom()),
        l.intact() ? (l.head().isEmpty() ? "" : ", head " + l.head()) : ": " + l.problem());
    for (ComplianceStatus.Coverage c : s.coverage()) {
      out.printf(Locale.ROOT, "consent:   %s: %,d of %,d subjects with a basis now (%s)%s%n",
          c.purpose(), c.allowed(), c.subjects(), percent(c.allowed(), c.subjects()),
          c.notAllowed().isEmpty() ? "" : "; without: " + counts(c.notAllowed()));
      out.println("           week of      grants  withdrawals  lapses");
      for (ComplianceStatus.Week w : c.weeks()) {
        out.printf(Locale.ROOT, "           %s  %,7d  %,11d  %,6d%n", w.weekOf(), w.grants(),
            w.withdrawals(), w.expiries());
      }
    }
    out.printf(Locale.ROOT, "runs:      %d registered, %d stale, %d past retention%s%n",
        s.runs().size(), s.staleRuns().size(), s.runsPastRetention().size(),
        keep == null ? " (no retention period given)" : " (kept for " + keep + ")");
    for (ComplianceStatus.Run r : s.runs()) {
      out.printf(Locale.ROOT, "  %s  %s  registered %s  %,d members%s%s%s%s%n", r.runId(),
          r.purpose(), r.registeredAt().isEmpty() ? "(time unknown)" : r.registeredAt(),
          r.members(), r.allowed() < 0 ? "; not decided: " + r.undecided()
              : ", " + String.format(Locale.ROOT, "%,d", r.allowed()) + " with a basis now",
          r.stale() ? "; STALE: lost " + counts(r.lost()) : "",
          r.pastRetention() ? "; PAST RETENTION" : "",
          r.activations() == 0 ? "; never activated" : String.format(Locale.ROOT,
              "; activated %,d time(s), last %s", r.activations(), r.lastActivatedAt()));
    }
    out.printf(Locale.ROOT, "activations: %d recent%n", s.activations().size());
    for (ComplianceStatus.Activated a : s.activations()) {
      out.printf(Locale.ROOT, "  %s  run %s to %s by %s: %,d of %,d members%n", a.at(),
          a.runId(), a.channel(), a.actor(), a.allowed(), a.members());
    }
    ComplianceStatus.Requests q = s.requests();
    out.printf(Locale.ROOT, "requests:  %,d open, %,d overdue, %,d due soon%n", q.open(),
        q.overdue(), q.dueSoon());
    for (ComplianceStatus.Request r : q.awaiting()) {
      out.printf(Locale.ROOT, "  %s  %s  %s  received %s  due %s%s%n", r.requestId(), r.type(),
          r.status(), r.receivedAt(), r.dueAt().isEmpty() ? "(none)" : r.dueAt(),
          r.overdue() ? "  OVERDUE" : "");
    }
    out.printf(Locale.ROOT, "budgets:   %d%n", s.budgets().size());
    for (BudgetStatus b : s.budgets()) {
      out.printf(Locale.ROOT, "  %s: epsilon %s of %s spent (%.1f %%), delta %s, %d release(s)%n",
          b.budgetId(), b.spentEpsilon(), b.epsilon(), 100 * b.spentShare(), b.delta(),
          b.releases());
    }
  }

  private static String percent(long part, long whole) {
    return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f %%", 100.0 * part / whole);
  }

  private static String counts(Map<String, Long> counts) {
    StringBuilder b = new StringBuilder();
    new java.util.TreeMap<>(counts).forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ")
        .append(k).append(' ').append(String.format(Locale.ROOT, "%,d", v)));
    return b.toString();
  }
}
