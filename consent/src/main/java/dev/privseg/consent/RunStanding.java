package dev.privseg.consent;

import dev.privseg.core.gate.BasisDecision;
import java.time.Instant;
import java.util.Map;

/**
 * Where a registered run's members stand at one instant: how many still have a lawful basis for
 * the run's purpose, and how many lost it since the run, by reason. A run whose members lost
 * their basis is stale: its segments must not be used for them any more.
 *
 * @param runId the run
 * @param purpose its purpose
 * @param at the instant decided at
 * @param registered how many members the run registered, or -1 if it was registered before the
 *     consent database counted them (schema version 16)
 * @param members how many memberships it holds now (erasure forgets a subject's)
 * @param held how many of those still have a basis
 * @param lost how many lost it, by reason: each {@link BasisDecision} but {@code ALLOWED}, with
 *     {@code ERASED} counting the members forgotten since registration
 */
public record RunStanding(String runId, String purpose, Instant at, long registered,
    long members, long held, Map<BasisDecision, Long> lost) {
  /** Copies the counts. */
  public RunStanding {
    lost = Map.copyOf(lost);
  }

  /** How many members lost their basis since the run, whatever the reason. */
  public long lostTotal() {
    return lost.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Whether any member lost its basis: the run's segments are stale for them. */
  public boolean isStale() {
    return lostTotal() > 0;
  }
}
