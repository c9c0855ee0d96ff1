package dev.privseg.consent;

import dev.privseg.consent.ledger.Checkpoint;
import dev.privseg.consent.ledger.ConsentEvent;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.consent.ledger.Verification;
import dev.privseg.consent.rights.MembershipRegistry;
import dev.privseg.consent.rights.RegisteredRun;
import dev.privseg.consent.rights.RequestLog;
import dev.privseg.consent.rights.SubjectRequest;
import dev.privseg.core.Checks;
import dev.privseg.core.PurposeId;
import dev.privseg.core.gate.BasisDecision;
import dev.privseg.core.release.BudgetStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * One view of compliance across runs, on the consent database that holds the ledger, the runs,
 * their activations, the subject requests and the privacy spends: {@link #status} at any
 * instant. Read only: it writes nothing, and events appended while it reads that take effect
 * after the instant do not change what it reports. Each purpose's subjects are decided once,
 * from one scan of the ledger, for both its coverage and its runs; the runs' members are read
 * meanwhile on a second thread, so the stores' data source must hand out independent
 * connections, as every pool does. Thread-safe.
 *
 * <pre>{@code
 * ComplianceMonitor monitor = ComplianceMonitor.forLedger(ledger)
 *     .policies(List.of(policy))
 *     .runs(db.memberships(), db.activations())
 *     .requests(db.requestLog())
 *     .budgets(() -> PrivacyAccountant.budgets(db.spendLog()))
 *     .keepRunsFor(Period.ofDays(90))
 *     .build();
 * String json = monitor.status(Instant.now()).toJson();
 * }</pre>
 */
public final class ComplianceMonitor {
  private final ConsentLedger ledger;
  private final List<ConsentPolicy> policies;
  private final MembershipRegistry registry;
  private final ActivationLog activations;
  private final RequestLog requests;
  private final Supplier<List<BudgetStatus>> budgets;
  private final Optional<Period> keepRunsFor;
  private final Optional<Checkpoint> trusted;
  private final StatusSnapshots snapshots;
  private final int weeks;
  private final Duration dueSoon;
  private final int recent;

  private ComplianceMonitor(Builder b) {
    this.ledger = b.ledger;
    this.policies = List.copyOf(b.policies);
    this.registry = b.registry;
    this.activations = b.activations;
    this.requests = b.requests;
    this.budgets = b.budgets;
    this.keepRunsFor = Optional.ofNullable(b.keepRunsFor);
    this.trusted = Optional.ofNullable(b.trusted);
    this.snapshots = b.snapshots;
    this.weeks = b.weeks;
    this.dueSoon = b.dueSoon;
    this.recent = b.recent;
  }

  /** Starts a monitor of {@code ledger}. */
  public static Builder forLedger(ConsentLedger ledger) {
    return new Builder(Checks.notNull(ledger, "ledger"));
  }

  /**
   * The status at {@code at}: the ledger's hash chain checked (whole, or from the trusted
   * checkpoint on), each purpose's subjects
   * decided at {@code at}, every run's members decided for its purpose, the requests open then.
   */
  public ComplianceStatus status(Instant at) {
    Checks.notNull(at, "at");
    // The runs' members, traced through the subject directory, are read on a second
    // connection while the ledger is read: they need no decision.
    List<RegisteredRun> held = registry == null ? List.of() : registry.runs();
    Activations decider = new Activations(ledger, policies,
        registry == null ? MembershipRegistry.inMemory() : registry,
        activations == null ? ActivationLog.inMemory() : activations);
    FutureTask<Activations.Members> members = new FutureTask<>(() -> decider.members(held));
    if (!held.isEmpty()) {
      Thread reader = new Thread(members, "privseg-status-members");
      reader.setDaemon(true);
      reader.start();
    }
    // Without a trusted checkpoint, one pass checks the whole chain and collects each
    // purpose's events in effect by `at`; with one, only the events since it are checked, and
    // each purpose's events are read on their own (as they are after a broken chain, so that
    // coverage stays whole).
    int n = policies.size();
    SubjectDecisions[] collected = new SubjectDecisions[n];
    PurposeId[] ids = new PurposeId[n];
    for (int p = 0; p < n; p++) {
      collected[p] = new SubjectDecisions();
      ids[p] = policies.get(p).purpose().id();
    }
    long atMillis = at.toEpochMilli();
    Verification v = trusted.isPresent()
        ? ledger.verifySince(trusted.get())
        : ledger.verify(e -> {
          long occurred = e.occurredAt().toEpochMilli();
          if (occurred <= atMillis) {
            for (int p = 0; p < n; p++) {
              if (e.concerns(ids[p])) {
                collected[p].visit(e.subject().high(), e.subject().low(), e.type(), occurred,
                    e.noticeVersion());
              }
            }
          }
        });
    boolean collectedAll = trusted.isEmpty() && v.intact();
    ComplianceStatus.Ledger integrity = new ComplianceStatus.Ledger(v.intact(),
        trusted.map(Checkpoint::sequence).orElse(1L), v.eventsChecked(),
        v.head().map(Checkpoint::toString).orElse(""), v.problem());

    Map<String, SubjectDecisions> byPurpose = new HashMap<>();
    List<ComplianceStatus.Coverage> coverage = new ArrayList<>();
    for (int p = 0; p < n; p++) {
      ConsentPolicy policy = policies.get(p);
      SubjectDecisions decisions = collected[p];
      WeeklyFlows flows = new WeeklyFlows(weeks, at);
      SubjectDecisions snapshot = !collectedAll && v.intact() && snapshots != null
          ? fromSnapshot(policy, at, flows) : null;
      if (snapshot != null) {
        decisions = snapshot;
      } else {
        if (!collectedAll) {
          decisions = new SubjectDecisions();
          ledger.scanEffects(ids[p], at, decisions);
        }
        decisions.decide(policy, at, flows);
      }
      byPurpose.put(ids[p].value(), decisions);
      coverage.add(coverage(policy, decisions, flows));
    }

    List<ComplianceStatus.Run> runs = registry == null ? List.of()
        : runs(at, byPurpose, held, decider, members);
    List<ComplianceStatus.Activated> recentActivations = activations == null ? List.of()
        : activations.activations().stream()
            .sorted(Comparator.comparing(Activation::at).reversed()).limit(recent)
            .map(a -> new ComplianceStatus.Activated(a.activationId(), a.runId(), a.channel(),
                a.actor(), a.at().toString(), a.members(), a.allowed()))
            .toList();
    return new ComplianceStatus(at.toString(), integrity, coverage, runs, recentActivations,
        requests(at), budgets == null ? List.of() : budgets.get());
  }

  /** Above this many subjects to fold again from all their events, a snapshot is not read. */
  private static final int REFOLD_LIMIT = 100_000;

  /**
   * Every subject of {@code policy}'s purpose decided at {@code at} from the purpose's status
   * snapshot and the events appended since, with {@code flows} counted: what deciding from every
   * event gives. A subject with an event appended since that took effect before the snapshot's
   * instant (back-dated), or that had events not yet in effect when the snapshot was made, is
   * folded again from all its events, and what the snapshot counted for it is taken out of the
   * flows. Null, with {@code flows} untouched, when there is no snapshot for the policy, it is
   * later than {@code at}, the ledger no longer holds its head, or too many subjects would be
   * folded again: then the events are read.
   *
   * @throws ConsentException if the snapshot's parts no longer have its digest
   */
  private SubjectDecisions fromSnapshot(ConsentPolicy policy, Instant at, WeeklyFlows flows) {
    PurposeId purpose = policy.purpose().id();
    StatusSnapshot snap = snapshots.latest(purpose.value()).orElse(null);
    if (snap == null || !snap.policy().equals(policy.summary()) || snap.foldedAt().isAfter(at)) {
      return null;
    }
    long folded = snap.foldedAt().toEpochMilli();
    List<ConsentEvent> tail = new ArrayList<>();
    boolean[] headHeld = {snap.headSequence() == 0};
    ledger.scanFrom(Math.max(1, snap.headSequence()), e -> {
      if (e.sequence() == snap.headSequence()) {
        headHeld[0] = e.hash().equals(snap.headHash());
      } else if (e.sequence() > snap.headSequence() && e.concerns(purpose)
          && !e.occurredAt().isAfter(at)) {
        tail.add(e);
      }
    });
    if (!headHeld[0]) {
      return null;
    }
    java.util.Set<SubjectKey> refold = new java.util.HashSet<>();
    for (ConsentEvent e : tail) {
      if (e.occurredAt().toEpochMilli() < folded) {
        refold.add(e.subject());
      }
    }
    SubjectDecisions decisions = new SubjectDecisions();
    WeeklyFlows[] counted = new WeeklyFlows[1];
    java.security.MessageDigest sha = StatusSnapshotCodec.sha256();
    snapshots.parts(snap.id(), part -> {
      sha.update(part);
      if (counted[0] == null) {
        counted[0] = StatusSnapshotCodec.weeks(part);
        return;
      }
      StatusSnapshotCodec.subjects(part, (high, low, given, notice, flags, lapse) -> {
        if ((flags & StatusSnapshotCodec.REFOLD) != 0) {
          refold.add(new SubjectKey(high, low));
        } else if (refold.isEmpty() || !refold.contains(new SubjectKey(high, low))) {
          decisions.seed(high, low, given, notice, flags, lapse);
        }
      });
    });
    if (!java.util.HexFormat.of().formatHex(sha.digest()).equals(snap.digest())
        || counted[0] == null) {
      throw new ConsentException("the status snapshot of purpose '" + purpose + "' taken at "
          + snap.takenAt() + " no longer has its digest: it was altered or damaged; take a "
          + "new one (privseg status --snapshot)");
    }
    if (refold.size() > REFOLD_LIMIT) {
      return null;
    }
    WeeklyFlows counts = new WeeklyFlows(flows.firstMillis(), flows.grants.length);
    counts.add(counted[0], 1);
    for (SubjectKey key : refold) {
      List<ConsentEvent> events = ledger.history(key).stream()
          .filter(e -> e.concerns(purpose) && !e.occurredAt().isAfter(at)).toList();
      // What the snapshot counted for the subject: its events up to the snapshot's head that
      // had taken effect by its instant.
      List<ConsentEvent> before = events.stream().filter(e -> e.sequence()
          <= snap.headSequence() && e.occurredAt().toEpochMilli() <= folded).toList();
      WeeklyFlows earlier = new WeeklyFlows(counts.firstMillis(), counts.grants.length);
      int[] order = new int[before.size()];
      byte[] type = new byte[before.size()];
      long[] occurred = new long[before.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
        type[i] = (byte) before.get(i).type().ordinal();
        occurred[i] = before.get(i).occurredAt().toEpochMilli();
      }
      earlier.count(policy, folded, order, 0, order.length, type, occurred, WeeklyFlows.NONE);
      counts.add(earlier, -1);
      for (ConsentEvent e : events) {
        decisions.visit(key.high(), key.low(), e.type(), e.occurredAt().toEpochMilli(),
            e.noticeVersion());
      }
    }
    for (ConsentEvent e : tail) {
      if (refold.isEmpty() || !refold.contains(e.subject())) {
        decisions.visit(e.subject().high(), e.subject().low(), e.type(),
            e.occurredAt().toEpochMilli(), e.noticeVersion());
      }
    }
    decisions.decide(policy, at, counts);
    flows.add(counts, 1);
    return decisions;
  }

  /**
   * Saves a status snapshot of each purpose with a policy, folded as of {@code at}: every
   * subject's state and the weekly flows until then, from one pass over the whole ledger, whose
   * chain must be intact. A status at or after {@code at} with a trusted checkpoint
   * ({@link Builder#trustedCheckpoint}) then reads the snapshot and the events appended since,
   * instead of every event; make one each night, after the checkpoint.
   *
   * @return the snapshots saved, one per policy
   * @throws ConsentException if the ledger's chain is broken (nothing is saved)
   * @throws dev.privseg.core.ConfigurationException if no snapshot store was given
   */
  public List<StatusSnapshot> saveSnapshots(Instant at) {
    Checks.notNull(at, "at");
    Checks.check(snapshots != null, "no status snapshot store: give one with snapshots(...)");
    int n = policies.size();
    SubjectDecisions[] collected = new SubjectDecisions[n];
    List<java.util.Set<SubjectKey>> pending = new ArrayList<>();
    PurposeId[] ids = new PurposeId[n];
    for (int p = 0; p < n; p++) {
      collected[p] = new SubjectDecisions();
      pending.add(new java.util.HashSet<>());
      ids[p] = policies.get(p).purpose().id();
    }
    long atMillis = at.toEpochMilli();
    Verification v = ledger.verify(e -> {
      long occurred = e.occurredAt().toEpochMilli();
      for (int p = 0; p < n; p++) {
        if (e.concerns(ids[p])) {
          if (occurred <= atMillis) {
            collected[p].visit(e.subject().high(), e.subject().low(), e.type(), occurred,
                e.noticeVersion());
          } else {
            pending.get(p).add(e.subject());
          }
        }
      }
    });
    if (!v.intact()) {
      throw new ConsentException("the ledger's chain is broken (" + v.problem() + "): a status "
          + "snapshot is made only from an intact chain; nothing was saved");
    }
    long headSequence = v.head().map(Checkpoint::sequence).orElse(0L);
    String headHash = v.head().map(Checkpoint::hash).orElse("");
    List<StatusSnapshot> saved = new ArrayList<>();
    for (int p = 0; p < n; p++) {
      ConsentPolicy policy = policies.get(p);
      SubjectDecisions decisions = collected[p];
      java.util.Set<SubjectKey> later = pending.get(p);
      long first = WeeklyFlows.weekStart(Math.min(decisions.earliest(), atMillis));
      long span = (WeeklyFlows.weekStart(atMillis) - first) / (7L * 86_400_000L) + 1;
      WeeklyFlows flows = new WeeklyFlows(first, Math.toIntExact(span));
      decisions.keepStates();
      decisions.decide(policy, at, flows);
      long[] subjects = {0};
      List<byte[]> parts = StatusSnapshotCodec.encode(flows, visitor -> {
        decisions.forEachState((high, low, given, notice, flags, lapse) -> {
          subjects[0]++;
          visitor.visit(high, low, given, notice, later.isEmpty()
              || !later.contains(new SubjectKey(high, low)) ? flags
              : flags | StatusSnapshotCodec.REFOLD, lapse);
        });
        for (SubjectKey key : later) {
          if (!decisions.has(key.high(), key.low())) {
            subjects[0]++;
            visitor.visit(key.high(), key.low(), WeeklyFlows.NONE, "",
                StatusSnapshotCodec.REFOLD, WeeklyFlows.NONE);
          }
        }
      });
      Instant taken = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
      saved.add(snapshots.save(new StatusSnapshot(0, ids[p].value(), policy.summary(),
          headSequence, headHash, at, taken, subjects[0], StatusSnapshotCodec.digest(parts)),
          parts));
    }
    return saved;
  }

  private static ComplianceStatus.Coverage coverage(ConsentPolicy policy,
      SubjectDecisions decisions, WeeklyFlows flows) {
    long[] counts = new long[BasisDecision.values().length];
    decisions.forEach((high, low, decision) -> counts[decision.ordinal()]++);
    Map<String, Long> notAllowed = new TreeMap<>();
    for (BasisDecision d : BasisDecision.values()) {
      if (d != BasisDecision.ALLOWED && counts[d.ordinal()] > 0) {
        notAllowed.put(d.name(), counts[d.ordinal()]);
      }
    }
    List<ComplianceStatus.Week> weekly = new ArrayList<>();
    for (int w = 0; w < flows.grants.length; w++) {
      weekly.add(new ComplianceStatus.Week(flows.weekOf(w).toString(), flows.grants[w],
          flows.withdrawals[w], flows.expiries[w]));
    }
    return new ComplianceStatus.Coverage(policy.purpose().id().value(), decisions.subjects(),
        counts[BasisDecision.ALLOWED.ordinal()], notAllowed, weekly);
  }

  private List<ComplianceStatus.Run> runs(Instant at, Map<String, SubjectDecisions> byPurpose,
      List<RegisteredRun> held, Activations decider, FutureTask<Activations.Members> members) {
    Map<String, String> undecided = new LinkedHashMap<>();
    Map<String, RunStanding> standings = new HashMap<>();
    if (!held.isEmpty()) {
      try {
        decider.standings(held, at, membersRead(members), byPurpose, undecided)
            .forEach(s -> standings.put(s.runId(), s));
      } catch (ConsentException e) {
        held.forEach(r -> undecided.putIfAbsent(r.runId(), e.getMessage()));
      }
    }
    Map<String, long[]> activated = new HashMap<>();
    Map<String, Instant> last = new HashMap<>();
    if (activations != null) {
      for (Activation a : activations.activations()) {
        activated.computeIfAbsent(a.runId(), id -> new long[1])[0]++;
        last.merge(a.runId(), a.at(), (x, y) -> x.isAfter(y) ? x : y);
      }
    }
    Instant retainedFrom = keepRunsFor.map(p -> at.atOffset(ZoneOffset.UTC).minus(p)
        .toInstant()).orElse(null);
    List<ComplianceStatus.Run> out = new ArrayList<>();
    for (RegisteredRun r : held) {
      RunStanding s = standings.get(r.runId());
      Map<String, Long> lost = new TreeMap<>();
      if (s != null) {
        s.lost().forEach((reason, n) -> lost.put(reason.name(), n));
      }
      out.add(new ComplianceStatus.Run(r.runId(), r.purpose(),
          r.registeredAt() == null ? "" : r.registeredAt().toString(),
          s == null ? r.members() : s.members(), s == null ? -1 : s.held(), lost,
          s != null && s.isStale(),
          retainedFrom != null && r.registeredAt() != null
              && r.registeredAt().isBefore(retainedFrom),
          activated.getOrDefault(r.runId(), new long[1])[0],
          last.containsKey(r.runId()) ? last.get(r.runId()).toString() : "",
          undecided.getOrDefault(r.runId(), "")));
    }
    return out;
  }

  /** The members the second reader read; what it threw, thrown here. */
  private static Activations.Members membersRead(FutureTask<Activations.Members> members) {
    try {
      return members.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConsentException("interrupted while reading the runs' members", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new ConsentException("reading the runs' members failed", e.getCause());
    }
  }

  private ComplianceStatus.Requests requests(Instant at) {
    if (requests == null) {
      return new ComplianceStatus.Requests(0, 0, 0, List.of());
    }
    List<ComplianceStatus.Request> awaiting = new ArrayList<>();
    long overdue = 0;
    long soon = 0;
    for (SubjectRequest r : requests.open()) {
      if (r.receivedAt().isAfter(at)) {
        continue;
      }
      boolean late = r.isOverdue(at);
      overdue += late ? 1 : 0;
      soon += r.isDueWithin(at, dueSoon) ? 1 : 0;
      awaiting.add(new ComplianceStatus.Request(r.requestId(), r.type().name(),
          r.status().name(), r.receivedAt().toString(),
          r.dueAt() == null ? "" : r.dueAt().toString(), late));
    }
    return new ComplianceStatus.Requests(awaiting.size(), overdue, soon, awaiting);
  }

  /** Builds a {@link ComplianceMonitor}. Not thread-safe. */
  public static final class Builder {
    private final ConsentLedger ledger;
    private List<ConsentPolicy> policies = List.of();
    private MembershipRegistry registry;
    private ActivationLog activations;
    private RequestLog requests;
    private Supplier<List<BudgetStatus>> budgets;
    private Period keepRunsFor;
    private Checkpoint trusted;
    private StatusSnapshots snapshots;
    private int weeks = 12;
    private Duration dueSoon = Duration.ofDays(7);
    private int recent = 20;

    private Builder(ConsentLedger ledger) {
      this.ledger = ledger;
    }

    /**
     * The policy of each purpose to report on: its coverage, and the runs for it (a run of
     * another purpose is listed as not decided).
     */
    public Builder policies(List<ConsentPolicy> policies) {
      Checks.notNull(policies, "policies");
      List<String> ids = new ArrayList<>();
      for (ConsentPolicy p : policies) {
        Checks.notNull(p, "policy");
        Checks.check(!ids.contains(p.purpose().id().value()), "two policies for purpose '%s'",
            p.purpose().id().value());
        ids.add(p.purpose().id().value());
      }
      this.policies = List.copyOf(policies);
      return this;
    }

    /** The registered runs and their activations. */
    public Builder runs(MembershipRegistry registry, ActivationLog activations) {
      this.registry = Checks.notNull(registry, "registry");
      this.activations = Checks.notNull(activations, "activations");
      return this;
    }

    /** The subject requests. */
    public Builder requests(RequestLog requests) {
      this.requests = Checks.notNull(requests, "requests");
      return this;
    }

    /**
     * Where the privacy budgets stand, read at each status (the anonymization module's {@code
     * PrivacyAccountant.budgets(spendLog)}).
     */
    public Builder budgets(Supplier<List<BudgetStatus>> budgets) {
      this.budgets = Checks.notNull(budgets, "budgets");
      return this;
    }

    /** How long runs may be held; older ones are listed as past their retention. */
    public Builder keepRunsFor(Period period) {
      this.keepRunsFor = Reports.keepRunsFor(period);
      return this;
    }

    /**
     * A checkpoint of the ledger kept outside the database (a signed checkpoint's head, once
     * {@link CheckpointVerifier} checked its signature): the status then checks the chain only
     * from it on ({@link ConsentLedger#verifySince}), at the cost of the events since, instead
     * of the whole chain. Check the whole chain on a schedule ({@code privseg consent verify}).
     */
    public Builder trustedCheckpoint(Checkpoint checkpoint) {
      this.trusted = Checks.notNull(checkpoint, "checkpoint");
      return this;
    }

    /**
     * Where status snapshots are kept ({@link ComplianceMonitor#saveSnapshots} saves them): a
     * status with a trusted checkpoint then reads a purpose's snapshot and the events appended
     * since, instead of every event, when the snapshot was folded under the same policy, at or
     * before the status's instant, and the ledger still holds its head. Optional.
     */
    public Builder snapshots(StatusSnapshots snapshots) {
      this.snapshots = Checks.notNull(snapshots, "snapshots");
      return this;
    }

    /** How many weeks of consent events to count, up to the status's (default 12). */
    public Builder weeks(int weeks) {
      Checks.check(weeks >= 1 && weeks <= 520, "weeks must be from 1 to 520 but was %s",
          weeks);
      this.weeks = weeks;
      return this;
    }

    /** How soon a request's time limit must be to list it as due soon (default 7 days). */
    public Builder dueSoonWithin(Duration window) {
      Checks.notNull(window, "window");
      Checks.check(!window.isNegative(), "the due-soon window must not be negative");
      this.dueSoon = window;
      return this;
    }

    /** How many of the most recent activations to list (default 20). */
    public Builder recentActivations(int count) {
      Checks.check(count >= 0, "recent activations must not be negative");
      this.recent = count;
      return this;
    }

    /** The monitor. */
    public ComplianceMonitor build() {
      return new ComplianceMonitor(this);
    }
  }
}
