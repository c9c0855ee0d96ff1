package dev.privseg.consent;

import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.core.Checks;
import dev.privseg.core.Purpose;
import dev.privseg.core.SubjectId;
import dev.privseg.core.gate.BasisDecision;
import dev.privseg.core.gate.LawfulBasisGate;
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

  @Override
  public BasisDecision decide(SubjectId subject, Purpose purpose, Instant at) {
    ConsentPolicy policy = policies.get(purpose.id().value());
    if (policy == null || !policy.purpose().equals(purpose)) {
      return BasisDecision.NO_BASIS;
    }
    return policy.decide(ledger.state(subject, purpose.id(), at), at);
  }

  @Override
  public String description() {
    return "consent ledger (" + ledger.description() + ", " + ledger.size()
        + " events) with policies for " + policies.keySet().stream().sorted().toList();
  }

  @Override
  public String toString() {
    return "ConsentGate[" + ledger.description() + "]";
  }
}
