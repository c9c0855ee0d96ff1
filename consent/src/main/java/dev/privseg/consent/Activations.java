package dev.privseg.consent;

import dev.privseg.consent.directory.SubjectDirectory;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.ConsentState;
import dev.privseg.consent.rights.MembershipRegistry;
import dev.privseg.consent.rights.RegisteredRun;
import dev.privseg.core.Checks;
import dev.privseg.core.gate.BasisDecision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Whether a registered run's segments may still be used, member by member: a run's members are
 * decided anew for its purpose at a given instant, as the next run's gate would decide them, so
 * that a segment computed last month is not activated for people who withdrew since.
 * {@link #standing} counts who lost the basis, by reason (a stale run); {@link #activate} hands a
 * channel only the members whose basis holds, and records the activation.
 *
 * <pre>{@code
 * Activations activations = new Activations(ledger, List.of(policy), db.memberships(),
 *     db.activations());
 * Activation a = activations.activate(runId, "email", Instant.now(), "crm-export",
 *     (pseudonym, segment) -> out.println(pseudonym + "," + segment));
 * }</pre>
 *
 * <p>Members are found through the subject directory: the run must have been pseudonymized with
 * the directory's pseudonyms ({@link dev.privseg.consent.directory.DirectoryPseudonymizer}), as
 * runs whose subjects can be erased are. Each call decides from one snapshot of the ledger, as a
 * run does. Thread-safe.
 */
public final class Activations {
  private final ConsentLedger ledger;
  private final Map<String, ConsentPolicy> policies = new HashMap<>();
  private final MembershipRegistry registry;
  private final ActivationLog log;

  /**
   * Activations of the runs in {@code registry}, decided from {@code ledger} with the policy of
   * each run's purpose, recorded in {@code log}.
   */
  public Activations(ConsentLedger ledger, List<ConsentPolicy> policies,
      MembershipRegistry registry, ActivationLog log) {
    this.ledger = Checks.notNull(ledger, "ledger");
    for (ConsentPolicy p : Checks.notNull(policies, "policies")) {
      this.policies.put(p.purpose().id().value(), p);
    }
    this.registry = Checks.notNull(registry, "registry");
    this.log = Checks.notNull(log, "activation log");
  }

  /**
   * Where run {@code runId}'s members stand at {@code at}: read only.
   *
   * @throws ConsentException if the run is not registered, its purpose has no policy here, or
   *     its pseudonyms are not the subject directory's
   */
  public RunStanding standing(String runId, Instant at) {
    return decide(run(runId), Checks.notNull(at, "at"), (pseudonym, segment) -> { },
        new HashMap<>());
  }

  /**
   * Where every registered run's members stand at {@code at}, by run id; read only.
   *
   * @throws ConsentException as {@link #standing}, for the first run that cannot be decided
   */
  public List<RunStanding> standings(Instant at) {
    Map<String, String> undecided = new java.util.LinkedHashMap<>();
    List<RunStanding> out = standings(registry.runs(), Checks.notNull(at, "at"),
        new HashMap<>(), undecided);
    if (!undecided.isEmpty()) {
      throw new ConsentException(undecided.values().iterator().next());
    }
    return out;
  }

  /**
   * Where each of {@code runs} stands at {@code at}: every purpose's subjects decided once (from
   * {@code byPurpose}, or decided and kept there), the directory read once, each run's members
   * once. A run that cannot be decided is left out, with why, in {@code undecided} by run id.
   */
  List<RunStanding> standings(List<RegisteredRun> runs, Instant at,
      Map<String, SubjectDecisions> byPurpose, Map<String, String> undecided) {
    return standings(runs, at, members(runs), byPurpose, undecided);
  }

  /**
   * The members of {@code runs} traced through the subject directory: what a standing needs
   * besides the decisions, read without them, so that it can be read while they are made.
   * Runs of a purpose without a policy here are left out.
   */
  Members members(List<RegisteredRun> runs) {
    Members m = new Members();
    if (runs.stream().noneMatch(r -> policies.containsKey(r.purpose()))) {
      return m;
    }
    HashMap<String, Integer> index = new HashMap<>();
    directory().forEach((lookup, entry) -> {
      // One row per pseudonym, so that rows and keys stay aligned.
      if (index.putIfAbsent(entry.pseudonym(), index.size()) == null) {
        m.add(entry.ledgerKey().high(), entry.ledgerKey().low());
      }
    });
    for (RegisteredRun run : runs) {
      if (policies.containsKey(run.purpose())) {
        IntArray rows = new IntArray(16);
        registry.forEachMember(run.runId(), (pseudonym, segment) -> {
          Integer row = index.get(pseudonym);
          rows.add(row == null ? -1 : row);
        });
        m.runs.put(run.runId(), rows);
      }
    }
    return m;
  }

  /** {@link #standings(List, Instant, Map, Map)} from members read before. */
  List<RunStanding> standings(List<RegisteredRun> runs, Instant at, Members members,
      Map<String, SubjectDecisions> byPurpose, Map<String, String> undecided) {
    BasisDecision[] values = BasisDecision.values();
    Map<String, byte[]> decidedRows = new HashMap<>();
    List<RunStanding> out = new ArrayList<>();
    for (RegisteredRun run : runs) {
      ConsentPolicy policy = policies.get(run.purpose());
      if (policy == null) {
        undecided.put(run.runId(), noPolicy(run));
        continue;
      }
      java.util.Optional<String> other = otherPolicy(run, policy);
      if (other.isPresent()) {
        undecided.put(run.runId(), other.get());
        continue;
      }
      // Each directory row's decision for the run's purpose, once per purpose.
      byte[] decided = decidedRows.computeIfAbsent(run.purpose(), purpose -> {
        SubjectDecisions decisions = byPurpose.computeIfAbsent(purpose,
            p -> ConsentGate.decided(ledger, policy, at));
        byte unknown = (byte) policy.decide(ConsentState.UNKNOWN, at).ordinal();
        byte[] rows = new byte[members.size];
        for (int r = 0; r < members.size; r++) {
          BasisDecision d = decisions.get(members.high[r], members.low[r]);
          rows[r] = d == null ? unknown : (byte) d.ordinal();
        }
        return rows;
      });
      IntArray rows = members.runs.get(run.runId());
      long[] counts = new long[values.length + 1];
      for (int i = 0; i < rows.size; i++) {
        int row = rows.get(i);
        counts[row < 0 ? values.length : decided[row]]++;
      }
      if (rows.size > 0 && counts[values.length] == rows.size) {
        undecided.put(run.runId(), notTraceable(run, rows.size));
        continue;
      }
      out.add(fromCounts(run, at, rows.size, counts));
    }
    return out;
  }

  /** The subject directory's rows (ledger keys) and each run's members as rows (-1: none). */
  static final class Members {
    private long[] high = new long[1024];
    private long[] low = new long[1024];
    private int size;
    private final Map<String, IntArray> runs = new HashMap<>();

    private void add(long h, long l) {
      if (size == high.length) {
        high = java.util.Arrays.copyOf(high, size * 2);
        low = java.util.Arrays.copyOf(low, size * 2);
      }
      high[size] = h;
      low[size] = l;
      size++;
    }
  }

  /** A run's standing from its members' counts by decision (the last: not in the directory). */
  private static RunStanding fromCounts(RegisteredRun run, Instant at, long members,
      long[] counts) {
    BasisDecision[] values = BasisDecision.values();
    Map<BasisDecision, Long> lost = new EnumMap<>(BasisDecision.class);
    for (int d = 0; d < values.length; d++) {
      if (values[d] != BasisDecision.ALLOWED && counts[d] > 0) {
        lost.put(values[d], counts[d]);
      }
    }
    long gone = counts[values.length];
    long registered = run.registeredMembers().orElse(-1);
    gone += Math.max(0, registered - members);
    if (gone > 0) {
      lost.merge(BasisDecision.ERASED, gone, Long::sum);
    }
    return new RunStanding(run.runId(), run.purpose(), at, registered, members,
        counts[BasisDecision.ALLOWED.ordinal()], lost);
  }

  /**
   * Why {@code run}'s members cannot be decided by {@code policy}: the run's record says its
   * consent gate decided the purpose by another policy. Empty when it says the same, or says
   * none (another kind of gate, or a record made before gates stated their policies).
   */
  private java.util.Optional<String> otherPolicy(RegisteredRun run, ConsentPolicy policy) {
    String gate = registry.record(run.runId())
        .map(dev.privseg.core.report.ProcessingRecord::lawfulBasisGate).orElse("");
    int listed = gate.lastIndexOf(POLICIES);
    if (!gate.startsWith("consent ledger (") || listed < 0) {
      return java.util.Optional.empty();
    }
    String entries = gate.substring(listed + POLICIES.length());
    String own = policy.purpose().id().value() + " {";
    int from = entries.startsWith(own) ? 0 : entries.indexOf(", " + own);
    from = from > 0 ? from + 2 : from;
    int to = from < 0 ? -1 : entries.indexOf('}', from);
    String recorded = to < 0 ? "none" : entries.substring(from, to + 1);
    return recorded.equals(policy.summary()) ? java.util.Optional.empty()
        : java.util.Optional.of("run " + run.runId() + " was decided by the policy " + recorded
            + ", but this check's policy is " + policy.summary() + ": decide a run's members "
            + "by the policy its gate used (a spec's lawfulBasis.ledger; --spec on the command "
            + "line)");
  }

  /** What a consent gate's description puts before its policies. */
  private static final String POLICIES = " events) with policies [";

  private static String noPolicy(RegisteredRun run) {
    return "run " + run.runId() + " is for purpose '" + run.purpose() + "', for which no "
        + "policy is given: its members cannot be decided";
  }

  private static String notTraceable(RegisteredRun run, long members) {
    return "none of the " + members + " members of run " + run.runId() + " has a pseudonym of "
        + "the subject directory: the run was not pseudonymized through it "
        + "(DirectoryPseudonymizer), so its members cannot be traced to their consent";
  }

  private SubjectDirectory directory() {
    return ledger.directory().orElseThrow(() ->
        new ConsentException("deciding a run's members needs the subject directory: the "
            + "ledger has none, so a member's pseudonym cannot be traced to its consent"));
  }

  /**
   * Hands {@code allowed} the members of run {@code runId} whose lawful basis for the run's
   * purpose holds at {@code at} (each with its segment, in the registry's order), and records
   * the activation: who, when, to which channel, how many were left out and why.
   *
   * @param channel where the members go, e.g. {@code "email"}
   * @throws ConsentException if the run is not registered, its purpose has no policy here, or
   *     its pseudonyms are not the subject directory's; nothing is handed over or recorded
   */
  public Activation activate(String runId, String channel, Instant at, String actor,
      MembershipRegistry.MemberVisitor allowed) {
    Checks.notBlank(channel, "channel");
    Checks.check(channel.length() <= 64, "a channel's name has at most 64 characters");
    Checks.notBlank(actor, "actor");
    Checks.check(actor.length() <= 128, "an actor's name has at most 128 characters");
    Checks.notNull(allowed, "allowed");
    RegisteredRun run = run(runId);
    RunStanding s = decide(run, Checks.notNull(at, "at"), allowed, new HashMap<>());
    Activation activation = new Activation(UUID.randomUUID().toString(), run.runId(),
        run.purpose(), channel, actor, at, s.members(), s.held(), excludedNow(s));
    log.record(activation);
    return activation;
  }

  /** What an activation leaves out: the members held now without a basis (not the erased). */
  private static Map<BasisDecision, Long> excludedNow(RunStanding s) {
    Map<BasisDecision, Long> out = new EnumMap<>(BasisDecision.class);
    s.lost().forEach((reason, n) -> {
      long now = reason == BasisDecision.ERASED && s.registered() >= 0
          ? n - (s.registered() - s.members()) : n;
      if (now > 0) {
        out.put(reason, now);
      }
    });
    return out;
  }

  private RegisteredRun run(String runId) {
    Checks.notBlank(runId, "run id");
    return registry.run(runId).orElseThrow(() ->
        new ConsentException("run " + runId + " is not registered: only registered runs can "
            + "be checked or activated"));
  }

  /**
   * Decides every member of {@code run} at {@code at}; hands the allowed ones on, in order. The
   * ledger's decisions for a purpose are taken from {@code byPurpose}, or made and kept there.
   */
  private RunStanding decide(RegisteredRun run, Instant at,
      MembershipRegistry.MemberVisitor allowed, Map<String, SubjectDecisions> byPurpose) {
    ConsentPolicy policy = policies.get(run.purpose());
    if (policy == null) {
      throw new ConsentException(noPolicy(run));
    }
    java.util.Optional<String> other = otherPolicy(run, policy);
    if (other.isPresent()) {
      throw new ConsentException(other.get());
    }
    SubjectDirectory directory = directory();
    // Every subject decided once, by ledger key, from one scan of the events.
    SubjectDecisions decisions = byPurpose.computeIfAbsent(run.purpose(),
        purpose -> ConsentGate.decided(ledger, policy, at));
    BasisDecision unknown = policy.decide(ConsentState.UNKNOWN, at);
    // The run's members in the registry's order; each one's decision, found through the
    // directory (a member without an entry was erased: its memberships go with it).
    int expected = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(16, run.members()));
    List<String> pseudonyms = new ArrayList<>(expected);
    IntArray segments = new IntArray(expected);
    HashMap<String, Integer> index = new HashMap<>((int) Math.min(1 << 30,
        expected * 4L / 3 + 1));
    registry.forEachMember(run.runId(), (pseudonym, segment) -> {
      index.put(pseudonym, pseudonyms.size());
      pseudonyms.add(pseudonym);
      segments.add(segment);
    });
    BasisDecision[] decided = new BasisDecision[pseudonyms.size()];
    int[] found = new int[1];
    directory.forEach((lookup, entry) -> {
      Integer i = index.get(entry.pseudonym());
      if (i != null) {
        BasisDecision d = decisions.get(entry.ledgerKey().high(), entry.ledgerKey().low());
        decided[i] = d == null ? unknown : d;
        found[0]++;
      }
    });
    if (!pseudonyms.isEmpty() && found[0] == 0) {
      throw new ConsentException(notTraceable(run, pseudonyms.size()));
    }
    Map<BasisDecision, Long> lost = new EnumMap<>(BasisDecision.class);
    long held = 0;
    for (int i = 0; i < decided.length; i++) {
      BasisDecision d = decided[i] == null ? BasisDecision.ERASED : decided[i];
      if (d == BasisDecision.ALLOWED) {
        held++;
        allowed.visit(pseudonyms.get(i), segments.get(i));
      } else {
        lost.merge(d, 1L, Long::sum);
      }
    }
    long registered = run.registeredMembers().orElse(-1);
    if (registered > pseudonyms.size()) {
      lost.merge(BasisDecision.ERASED, registered - pseudonyms.size(), Long::sum);
    }
    return new RunStanding(run.runId(), run.purpose(), at, registered, pseudonyms.size(), held,
        lost);
  }

  /** A growable array of ints. */
  private static final class IntArray {
    private int[] values;
    int size;

    IntArray(int capacity) {
      values = new int[capacity];
    }

    void add(int value) {
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    int get(int i) {
      return values[i];
    }
  }
}
