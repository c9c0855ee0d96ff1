package dev.privseg.consent;

import dev.privseg.core.Checks;
import dev.privseg.core.gate.BasisDecision;
import java.time.Instant;
import java.util.Map;

/**
 * The record of one activation: a registered run's segments handed to a channel (email, ads, a
 * call centre) with only the members whose lawful basis held at that instant. Counts only; no
 * pseudonym or other personal value.
 *
 * @param activationId a random identifier
 * @param runId the run activated
 * @param purpose its purpose, whose basis was checked
 * @param channel where the members go
 * @param actor who activated
 * @param at when the basis was checked
 * @param members the run's memberships at that instant
 * @param allowed how many were handed over
 * @param excluded how many were left out, by reason
 */
public record Activation(String activationId, String runId, String purpose, String channel,
    String actor, Instant at, long members, long allowed, Map<BasisDecision, Long> excluded) {
  /** Checks the record and copies the counts. */
  public Activation {
    Checks.notBlank(activationId, "activation id");
    Checks.notBlank(runId, "run id");
    Checks.notBlank(purpose, "purpose");
    Checks.notBlank(channel, "channel");
    Checks.notBlank(actor, "actor");
    Checks.notNull(at, "at");
    excluded = Map.copyOf(excluded);
    Checks.check(!excluded.containsKey(BasisDecision.ALLOWED),
        "an activation excludes no member for being allowed");
  }
}
