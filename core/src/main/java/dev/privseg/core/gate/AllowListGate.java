package dev.privseg.core.gate;

import dev.privseg.core.Checks;
import dev.privseg.core.Purpose;
import dev.privseg.core.dataset.StringColumn;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** The gate behind {@link LawfulBasisGate#allowList}. Immutable. */
final class AllowListGate implements LawfulBasisGate {
  private final Set<String> allowed;

  AllowListGate(Collection<String> allowed) {
    Checks.notNull(allowed, "allowed subjects");
    this.allowed = new HashSet<>(allowed.size() * 2);
    for (String id : allowed) {
      this.allowed.add(Checks.notBlank(id, "allowed subject id"));
    }
  }

  /**
   * The same list for every purpose and instant: the host vouches for it. The view is
   * serializable, so an engine can decide with it on other machines.
   */
  @Override
  public RunGate forRun(Purpose purpose, Instant at) {
    return new View(allowed);
  }

  /** A run's view of the list. */
  private record View(Set<String> allowed) implements RunGate, java.io.Serializable {
    @Override
    public void decideAll(StringColumn subjects, BasisDecisions out) {
      for (int r = 0; r < subjects.size(); r++) {
        String id = subjects.isNull(r) ? "" : subjects.get(r);
        out.set(r, !id.isBlank() && allowed.contains(id) ? BasisDecision.ALLOWED
            : BasisDecision.NO_BASIS);
      }
    }
  }

  @Override
  public String description() {
    return "allow-list of " + allowed.size() + " subjects supplied by the host";
  }

  @Override
  public String toString() {
    return "AllowListGate[" + allowed.size() + " subjects]";
  }
}
