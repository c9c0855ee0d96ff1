package dev.privseg.consent.rights;

import dev.privseg.core.Checks;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.release.Assignments;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The runs a host registers so that access requests can list a subject's segment memberships.
 * Keyed by pseudonym (the assignments' key), never by raw identifier. Held in memory; thread-safe.
 */
public final class MembershipRegistry {
  private final Map<String, List<SegmentMembership>> byPseudonym = new HashMap<>();

  /** An empty registry. */
  public MembershipRegistry() {}

  /** Registers every assignment of {@code run}, with {@code logic} describing the run. */
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

  /** The memberships of the subject with {@code pseudonym}. */
  public synchronized List<SegmentMembership> memberships(String pseudonym) {
    return List.copyOf(byPseudonym.getOrDefault(pseudonym, List.of()));
  }

  /** Removes every membership of {@code pseudonym}; returns how many there were. */
  public synchronized int forget(String pseudonym) {
    List<SegmentMembership> removed = byPseudonym.remove(pseudonym);
    return removed == null ? 0 : removed.size();
  }

  @Override
  public synchronized String toString() {
    return "MembershipRegistry[" + byPseudonym.size() + " subjects]";
  }
}
