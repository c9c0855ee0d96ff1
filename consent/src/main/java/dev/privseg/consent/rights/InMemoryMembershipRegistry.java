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
  /** Each registered run's record, by id. */
  private final Map<String, dev.privseg.core.report.ProcessingRecord> records = new HashMap<>();
  /** Each registered run's saved segments, by id, for the runs that saved them. */
  private final Map<String, dev.privseg.core.segment.SegmentModel> models = new HashMap<>();
  /** Each registered run, by id, its members not counted. */
  private final Map<String, RegisteredRun> runs = new java.util.TreeMap<>();
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
    records.put(runId, run.report());
    run.model().ifPresent(m -> models.put(runId, m));
    runs.put(runId, new RegisteredRun(runId, purpose, algorithm, logic, registeredAt.get(runId),
        java.util.OptionalLong.of(a.size()), 0, java.util.Optional.of(run.report().digest())));
    for (int i = 0; i < a.size(); i++) {
      byPseudonym.computeIfAbsent(a.pseudonym(i), k -> new ArrayList<>(1))
          .add(new SegmentMembership(runId, purpose, algorithm, a.segment(i), logic));
    }
  }

  @Override
  public synchronized java.util.Optional<dev.privseg.core.report.ProcessingRecord> record(
      String runId) {
    return java.util.Optional.ofNullable(records.get(runId));
  }

  @Override
  public synchronized java.util.Optional<dev.privseg.core.segment.SegmentModel> model(
      String runId) {
    return java.util.Optional.ofNullable(models.get(runId));
  }

  @Override
  public synchronized List<SegmentMembership> memberships(String pseudonym) {
    return List.copyOf(byPseudonym.getOrDefault(pseudonym, List.of()));
  }

  @Override
  public synchronized List<RegisteredRun> runs() {
    Map<String, Long> members = new HashMap<>();
    byPseudonym.values().forEach(list -> list.forEach(m -> members.merge(m.runId(), 1L,
        Long::sum)));
    List<RegisteredRun> out = new ArrayList<>();
    runs.values().forEach(r -> out.add(new RegisteredRun(r.runId(), r.purpose(), r.algorithm(),
        r.logic(), r.registeredAt(), r.registeredMembers(), members.getOrDefault(r.runId(), 0L),
        r.recordDigest())));
    return out;
  }

  @Override
  public void forEachMember(String runId, MemberVisitor visitor) {
    List<String> pseudonyms = new ArrayList<>();
    List<Integer> segments = new ArrayList<>();
    synchronized (this) {
      byPseudonym.forEach((pseudonym, list) -> list.forEach(m -> {
        if (m.runId().equals(runId)) {
          pseudonyms.add(pseudonym);
          segments.add(m.segment());
        }
      }));
    }
    for (int i = 0; i < pseudonyms.size(); i++) {
      visitor.visit(pseudonyms.get(i), segments.get(i));
    }
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
    runs.keySet().removeAll(runIds);
    records.keySet().removeAll(runIds);
    models.keySet().removeAll(runIds);
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
