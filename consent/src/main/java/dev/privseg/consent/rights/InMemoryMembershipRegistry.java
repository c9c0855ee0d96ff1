package dev.privseg.consent.rights;

import dev.privseg.core.Checks;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.release.Assignments;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A {@link MembershipRegistry} in memory, for tests and single-process hosts. Thread-safe. */
public final class InMemoryMembershipRegistry implements MembershipRegistry {
  private final Map<String, List<SegmentMembership>> byPseudonym = new HashMap<>();

  /** An empty registry. */
  public InMemoryMembershipRegistry() {}

  @Override
  public synchronized void register(SegmentationRun run, String logic) {
    Checks.notNull(run, "run");
    Checks.notBlank(logic, "logic");
    Assignments a = run.assignments();
    String runId = run.report().runId();
    String purpose = run.report().purpose().id();
    String algorithm = run.report().segmentation().algorithm();
    for (int i = 0; i < a.size(); i++) {
      byPseudonym.computeIfAbsent(a.pseudonym(i), k -> new ArrayList<>(1))
          .add(new SegmentMembership(runId, purpose, algorithm, a.segment(i), logic));
    }
  }

  @Override
  public synchronized List<SegmentMembership> memberships(String pseudonym) {
    return List.copyOf(byPseudonym.getOrDefault(pseudonym, List.of()));
  }

  @Override
  public synchronized int forget(String pseudonym) {
    List<SegmentMembership> removed = byPseudonym.remove(pseudonym);
    return removed == null ? 0 : removed.size();
  }

  @Override
  public synchronized int forgetRun(String runId) {
    Checks.notBlank(runId, "runId");
    int removed = 0;
    for (var it = byPseudonym.values().iterator(); it.hasNext(); ) {
      List<SegmentMembership> memberships = it.next();
      int before = memberships.size();
      memberships.removeIf(m -> m.runId().equals(runId));
      removed += before - memberships.size();
      if (memberships.isEmpty()) {
        it.remove();
      }
    }
    return removed;
  }

  @Override
  public synchronized String toString() {
    return "InMemoryMembershipRegistry[" + byPseudonym.size() + " subjects]";
  }
}
