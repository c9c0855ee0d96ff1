package dev.privseg.spring;

import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.rights.RequestLog;
import dev.privseg.consent.rights.SubjectRequest;
import dev.privseg.core.Checks;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.util.List;

/**
 * privseg's gauges for Micrometer, read from the consent database when the registry is scraped:
 * {@code privseg.ledger.events} (the ledger's events; its rate is the appends per second),
 * {@code privseg.requests.open} and {@code privseg.requests.overdue} (subject requests not yet
 * answered, and those past their legal time limit). Counts only, never a subject.
 */
public final class PrivsegMetrics implements MeterBinder {
  private final ConsentLedger ledger;
  private final RequestLog requests;
  private final Clock clock;

  /** The gauges of {@code ledger} and {@code requests}, overdue by {@code clock}. */
  public PrivsegMetrics(ConsentLedger ledger, RequestLog requests, Clock clock) {
    this.ledger = Checks.notNull(ledger, "ledger");
    this.requests = Checks.notNull(requests, "requests");
    this.clock = Checks.notNull(clock, "clock");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("privseg.ledger.events", ledger, ConsentLedger::size)
        .description("Events in the consent ledger; their rate is the appends per second")
        .baseUnit("events").register(registry);
    Gauge.builder("privseg.requests.open", requests, r -> r.open().size())
        .description("Subject requests received and not yet answered")
        .baseUnit("requests").register(registry);
    Gauge.builder("privseg.requests.overdue", requests, this::overdue)
        .description("Subject requests past their legal time limit (GDPR Art. 12(3), CCPA)")
        .baseUnit("requests").register(registry);
  }

  private double overdue(RequestLog log) {
    List<SubjectRequest> open = log.open();
    java.time.Instant now = clock.instant();
    return open.stream().filter(r -> r.isOverdue(now)).count();
  }

  @Override
  public String toString() {
    return "PrivsegMetrics[" + ledger.description() + "]";
  }
}
