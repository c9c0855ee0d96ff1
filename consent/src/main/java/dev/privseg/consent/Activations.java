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
    List<RunStanding> out = new ArrayList<>();
    // Runs of one purpose are decided from one scan of the ledger.
    Map<String, SubjectDecisions> byPurpose = new HashMap<>();
    for (RegisteredRun run : registry.runs()) {
      out.add(decide(run, Checks.notNull(at, "at"), (pseudonym, segment) -> { }, byPurpose));
    }
    return out;
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
      throw new ConsentException("run " + run.runId() + " is for purpose '" + run.purpose()
          + "', for which no policy is given: its members cannot be decided");
    }
    SubjectDirectory directory = ledger.directory().orElseThrow(() ->
        new ConsentException("deciding a run's members needs the subject directory: the "
            + "ledger has none, so a member's pseudonym cannot be traced to its consent"));
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
      throw new ConsentException("none of the " + pseudonyms.size() + " members of run "
          + run.runId() + " has a pseudonym of the subject directory: the run was not "
          + "pseudonymized through it (DirectoryPseudonymizer), so its members cannot be "
          + "traced to their consent");
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
    private int size;

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
