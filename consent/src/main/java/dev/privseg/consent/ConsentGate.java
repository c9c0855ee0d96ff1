package dev.privseg.consent;

import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.core.Checks;
import dev.privseg.core.Purpose;
import dev.privseg.core.SubjectId;
import dev.privseg.core.gate.BasisDecision;
import dev.privseg.core.gate.BasisDecisions;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.gate.RunGate;
import dev.privseg.consent.ledger.ConsentState;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.core.dataset.StringColumn;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The lawful-basis gate backed by a {@link ConsentLedger}: for each subject it derives the state at
 * the run's instant from the ledger and lets the purpose's {@link ConsentPolicy} decide. A purpose
 * without a policy is refused for every subject ({@link BasisDecision#NO_BASIS}): nothing is
 * processed for a purpose the controller has not described. Thread-safe.
 *
 * <pre>{@code
 * LawfulBasisGate gate = ConsentGate.of(ledger, List.of(marketingPolicy));
 * Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION).lawfulBasis(gate)...
 * }</pre>
 */
public final class ConsentGate implements LawfulBasisGate {
  private final ConsentLedger ledger;
  private final Map<String, ConsentPolicy> policies;

  private ConsentGate(ConsentLedger ledger, Map<String, ConsentPolicy> policies) {
    this.ledger = ledger;
    this.policies = policies;
  }

  /** A gate over {@code ledger} with one policy per purpose. */
  public static ConsentGate of(ConsentLedger ledger, List<ConsentPolicy> policies) {
    Checks.notNull(ledger, "ledger");
    Map<String, ConsentPolicy> byPurpose = new HashMap<>();
    for (ConsentPolicy p : Checks.notNull(policies, "policies")) {
      Checks.check(byPurpose.put(p.purpose().id().value(), p) == null,
          "two policies for purpose '%s'", p.purpose().id());
    }
    return new ConsentGate(ledger, Map.copyOf(byPurpose));
  }

  /**
   * Decides for one subject from the live ledger (not a snapshot): for checks outside a run. A
   * run decides through {@link #forRun}.
   */
  public BasisDecision decide(SubjectId subject, Purpose purpose, Instant at) {
    ConsentPolicy policy = policies.get(purpose.id().value());
    if (policy == null || !policy.purpose().equals(purpose)) {
      return BasisDecision.NO_BASIS;
    }
    return policy.decide(ledger.state(subject, purpose.id(), at), at);
  }

  /**
   * A snapshot for one run: decides every subject in the ledger once, for {@code purpose} at
   * {@code at}, into a primitive table, so each row then costs one keyed hash and one lookup. The
   * run sees the ledger as it was when the snapshot was taken, explicit consent (GDPR Art. 9)
   * included. For a purpose without a policy every subject gets {@link BasisDecision#NO_BASIS}.
   */
  @Override
  public RunGate forRun(Purpose purpose, Instant at) {
    DecisionSnapshot snapshot = snapshot(purpose, at);
    return new Snapshot(purpose, at, snapshot.table(), snapshot.explicit());
  }

  /**
   * The decisions a run for {@code purpose} at {@code at} would make, as data
   * ({@link #forRun} decides from the same): every subject the ledger knows, by lookup key. For
   * an engine that decides elsewhere, such as Spark.
   */
  public DecisionSnapshot snapshot(Purpose purpose, Instant at) {
    Checks.notNull(purpose, "purpose");
    Checks.notNull(at, "at");
    java.util.function.Supplier<java.util.Optional<String>> why = () -> whyNoneAllowed(purpose);
    ConsentPolicy policy = policies.get(purpose.id().value());
    if (policy == null || !policy.purpose().equals(purpose)) {
      return new DecisionSnapshot(purpose, at, new DecisionTable(16, BasisDecision.NO_BASIS),
          new DecisionTable(16, BasisDecision.NO_BASIS), BasisDecision.NO_BASIS,
          ledger.keyer(), why);
    }
    SubjectDecisions decided = decided(ledger, policy, at);
    BasisDecision unknown = policy.decide(ConsentState.UNKNOWN, at);
    DecisionTable table = new DecisionTable(decided.subjects(), unknown);
    // Art. 9(2)(a), decided from the same events: ALLOWED marks explicit consent in force.
    DecisionTable explicit = new DecisionTable(16, BasisDecision.NO_BASIS);
    java.util.Optional<dev.privseg.consent.directory.SubjectDirectory> directory =
        ledger.directory();
    if (directory.isEmpty()) {
      // Events are keyed by the lookup key: decide each subject the ledger knows.
      decided.forEach((high, low, decision) -> {
        table.put(high, low, decision);
        if (decided.explicit(high, low)) {
          explicit.put(high, low, BasisDecision.ALLOWED);
        }
      });
    } else {
      // Rows are looked up by the keyed hash of their id; the directory maps it to the random
      // ledger key, and tombstones mark erased subjects.
      directory.get().forEachLedgerKey((lookupHigh, lookupLow, ledgerHigh, ledgerLow) -> {
        BasisDecision decision = decided.get(ledgerHigh, ledgerLow);
        table.put(lookupHigh, lookupLow, decision == null ? unknown : decision);
        if (decided.explicit(ledgerHigh, ledgerLow)) {
          explicit.put(lookupHigh, lookupLow, BasisDecision.ALLOWED);
        }
      });
      directory.get().forEachErased(lookup -> table.put(lookup, BasisDecision.ERASED));
    }
    return new DecisionSnapshot(purpose, at, table, explicit, unknown, ledger.keyer(), why);
  }

  /**
   * Every subject {@code ledger} holds events of, by ledger key, decided by {@code policy} at
   * {@code at} from one scan of the events that bear on its purpose; a subject not listed is
   * decided as {@link ConsentState#UNKNOWN}.
   */
  static SubjectDecisions decided(ConsentLedger ledger, ConsentPolicy policy, Instant at) {
    SubjectDecisions decided = new SubjectDecisions();
    ledger.scanEffects(policy.purpose().id(), at, decided);
    decided.decide(policy, at);
    return decided;
  }

  /**
   * How a run for {@code purpose} at {@code at} decides each subject from its events, without
   * reading them: for an engine that folds the ledger's events where they are held (Spark's
   * executors), with the decisions {@link #snapshot} would hold. Events appended after this call
   * are not read.
   */
  public DecisionFold fold(Purpose purpose, Instant at) {
    Checks.notNull(purpose, "purpose");
    Checks.notNull(at, "at");
    ConsentPolicy policy = policies.get(purpose.id().value());
    return new DecisionFold(purpose, at,
        policy == null || !policy.purpose().equals(purpose) ? null : policy, ledger.size(),
        ledger.keyer(), ledger.directory().isPresent(), () -> whyNoneAllowed(purpose));
  }

  /** The per-run snapshot behind {@link #forRun}. */
  private final class Snapshot implements RunGate {
    private final Purpose purpose;
    private final Instant at;
    private final DecisionTable table;
    private final DecisionTable explicit;

    Snapshot(Purpose purpose, Instant at, DecisionTable table, DecisionTable explicit) {
      this.purpose = purpose;
      this.at = at;
      this.table = table;
      this.explicit = explicit;
    }

    @Override
    public BasisDecision decide(SubjectId subject) {
      if (subject.value().isBlank()) {
        return BasisDecision.NO_BASIS;
      }
      SubjectKey lookup = ledger.keyer().key(subject);
      return table.get(lookup.high(), lookup.low());
    }

    @Override
    public void decideAll(StringColumn subjects, BasisDecisions out) {
      if (subjects.nullCount() > 0) {
        // Missing ids have no basis; the batch writes every other row (blank ids included).
        for (int r = 0; r < subjects.size(); r++) {
          if (subjects.isNull(r)) {
            out.set(r, BasisDecision.NO_BASIS);
          }
        }
      }
      Batch batch = new Batch(ledger.keyer().session(), out);
      subjects.forEachUtf8(batch);
      batch.flush();
    }

    /**
     * From the snapshot, in one pass: the same events the gate decided on, none recorded after
     * the run started.
     */
    @Override
    public void explicitConsentAll(StringColumn subjects, boolean[] out) {
      java.util.Arrays.fill(out, 0, subjects.size(), false); // missing ids stay false
      SubjectKeyer.Session keyer = ledger.keyer().session();
      subjects.forEachUtf8((row, data, offset, length) -> {
        if (!Batch.blank(data, offset, length)) {
          keyer.key(data, offset, length);
          out[row] = explicit.get(keyer.high(), keyer.low()) == BasisDecision.ALLOWED;
        }
      });
    }

    @Override
    public java.util.Optional<String> whyNoneAllowed() {
      return ConsentGate.this.whyNoneAllowed(purpose);
    }

    /**
     * Keys ids in batches, then looks the batch up: the lookups are independent, so the
     * processor overlaps their cache misses in the large table instead of waiting for each.
     */
    private final class Batch implements StringColumn.Utf8Visitor {
      private static final int SIZE = 1024;
      private final SubjectKeyer.Session keyer;
      private final BasisDecisions out;
      private final long[] high = new long[SIZE];
      private final long[] low = new long[SIZE];
      private final int[] rows = new int[SIZE];
      private int count;
      /** Keeps the touching loads live. */
      private long sink;

      Batch(SubjectKeyer.Session keyer, BasisDecisions out) {
        this.keyer = keyer;
        this.out = out;
      }

      @Override
      public void visit(int row, byte[] data, int offset, int length) {
        if (blank(data, offset, length)) {
          out.set(row, BasisDecision.NO_BASIS); // no identifier, nobody: never an unknown subject
          return;
        }
        keyer.key(data, offset, length);
        high[count] = keyer.high();
        low[count] = keyer.low();
        rows[count] = row;
        if (++count == SIZE) {
          flush();
        }
      }

      /**
       * Whether the id is empty or white space only, as {@link String#isBlank} says. Decodes only
       * ids that start or end with a byte that could be white space (ASCII space and controls,
       * or the lead byte of a non-ASCII character).
       */
      private static boolean blank(byte[] data, int offset, int length) {
        if (length == 0) {
          return true;
        }
        byte first = data[offset];
        byte last = data[offset + length - 1];
        if (first > ' ' && last > ' ') {
          return false;
        }
        return new String(data, offset, length, StandardCharsets.UTF_8).isBlank();
      }

      void flush() {
        // First touch every home slot (independent loads, misses in flight together), then
        // look up from cache.
        sink ^= table.touch(low, count);
        for (int i = 0; i < count; i++) {
          out.set(rows[i], table.get(high[i], low[i]));
        }
        count = 0;
      }
    }

    @Override
    public String toString() {
      return "ConsentGate snapshot[" + table.size() + " subjects at " + at + "]";
    }
  }

  /**
   * Which purposes the ledger holds events for, and which this gate has policies for: a run that
   * nobody passes was usually given another purpose, or another ledger, than intended.
   */
  public java.util.Optional<String> whyNoneAllowed(Purpose purpose) {
    List<String> held = ledger.purposes().stream().map(dev.privseg.core.PurposeId::value)
        .toList();
    StringBuilder why = new StringBuilder("the consent ledger (").append(ledger.description())
        .append(") holds ").append(ledger.size()).append(" events");
    why.append(held.isEmpty() ? "" : ", for purposes " + held);
    if (!held.isEmpty() && !held.contains(purpose.id().value())
        && !held.contains(dev.privseg.consent.ledger.ConsentEvent.ALL_PURPOSES.value())) {
      why.append(", none for '").append(purpose.id()).append('\'');
    }
    ConsentPolicy policy = policies.get(purpose.id().value());
    if (policy == null || !policy.purpose().equals(purpose)) {
      why.append("; this gate has no policy for this purpose, only for ")
          .append(policies.keySet().stream().sorted().toList());
    }
    return java.util.Optional.of(why.toString());
  }

  @Override
  public String description() {
    return "consent ledger (" + ledger.description() + ", " + ledger.size()
        + " events) with policies " + policies.keySet().stream().sorted()
            .map(id -> policies.get(id).summary()).toList();
  }

  @Override
  public String toString() {
    return "ConsentGate[" + ledger.description() + "]";
  }
}
