package dev.privseg.consent.rights;

import dev.privseg.core.Checks;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.release.Assignments;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A {@link MembershipRegistry} in memory, for tests and single-process hosts. Thread-safe. */
public final class InMemoryMembershipRegistry implements MembershipRegistry {
  private final Map<String, List<SegmentMembership>> byPseudonym = new HashMap<>();
  /** When each run was registered. */
  private final Map<String, Instant> registeredAt = new HashMap<>();
  private final Clock clock;

  /** An empty registry, stamping registrations with the UTC clock. */
  public InMemoryMembershipRegistry() {
    this(Clock.systemUTC());
  }

  /** An empty registry, stamping registrations with {@code clock} (tests fix it). */
  public InMemoryMembershipRegistry(Clock clock) {
    this.clock = Checks.notNull(clock, "clock");
  }

  @Override
  public synchronized void register(SegmentationRun run, String logic) {
    Checks.notNull(run, "run");
    Checks.notBlank(logic, "logic");
    Assignments a = run.assignments();
    String runId = run.report().runId();
    String purpose = run.report().purpose().id();
    String algorithm = run.report().segmentation().algorithm();
    registeredAt.put(runId, clock.instant());
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
    registeredAt.remove(runId);
    return forgetRuns(Set.of(runId));
  }

  @Override
  public synchronized int forgetRunsRegisteredBefore(Instant cutoff) {
    Checks.notNull(cutoff, "cutoff");
    Set<String> old = new HashSet<>();
    registeredAt.forEach((run, at) -> {
      if (at.isBefore(cutoff)) {
        old.add(run);
      }
    });
    registeredAt.keySet().removeAll(old);
    return forgetRuns(old);
  }

  private int forgetRuns(Set<String> runIds) {
    int removed = 0;
    for (var it = byPseudonym.values().iterator(); it.hasNext(); ) {
      List<SegmentMembership> memberships = it.next();
      int before = memberships.size();
      memberships.removeIf(m -> runIds.contains(m.runId()));
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
