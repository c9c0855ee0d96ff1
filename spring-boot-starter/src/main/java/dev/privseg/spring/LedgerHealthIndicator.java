package dev.privseg.spring;

import dev.privseg.consent.ledger.Checkpoint;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.Verification;
import dev.privseg.core.Checks;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The consent ledger's health: its hash chain, checked whole the first time and from the head
 * the last check found on each time after, so a check costs the events appended since. Down,
 * with the problem, when a link is broken: events removed from the end, or rewritten since the
 * last check (an older event altered without its hashes recomputed shows in a whole check:
 * {@code privseg consent verify} on a schedule). The key was checked when the ledger was opened.
 * Its details hold counts, sequence numbers and hashes, never a subject. Thread-safe.
 */
public final class LedgerHealthIndicator implements HealthIndicator {
  private final ConsentLedger ledger;
  /** The head the last intact check found; null before the first. */
  private Checkpoint verified;

  /** The health of {@code ledger}. */
  public LedgerHealthIndicator(ConsentLedger ledger) {
    this.ledger = Checks.notNull(ledger, "ledger");
  }

  @Override
  public synchronized Health health() {
    Verification v = verified == null ? ledger.verify() : ledger.verifySince(verified);
    Health.Builder health = v.intact() ? Health.up() : Health.down();
    health.withDetail("ledger", ledger.description())
        .withDetail("chain", v.intact() ? "intact" : "broken")
        .withDetail("checked", verified == null ? "whole chain"
            : "from event " + verified.sequence())
        .withDetail("eventsChecked", v.eventsChecked())
        .withDetail("key", "matches the database's check value");
    v.head().ifPresent(h -> health.withDetail("head", h.toString()));
    if (!v.intact()) {
      return health.withDetail("problem", v.problem()).build();
    }
    v.head().ifPresent(h -> verified = h);
    return health.build();
  }

  @Override
  public String toString() {
    return "LedgerHealthIndicator[" + ledger.description() + "]";
  }
}
