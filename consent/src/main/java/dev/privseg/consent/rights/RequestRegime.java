package dev.privseg.consent.rights;

import dev.privseg.core.Checks;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The law whose time limits a data subject request runs under, and those limits. A deadline is
 * the end of its last day in the controller's time zone, given as the first instant past it.
 * The deadlines are never later than the law's: a limit that ends on a weekend or public
 * holiday, which the law may move to the next working day, is not moved; business days count
 * Monday to Friday, holidays included; and where a law's text leaves open whether the day of
 * receipt counts, it counts.
 */
public enum RequestRegime {
  /**
   * GDPR Art. 12(3): within one month of receipt, which ends with the same date of the next
   * month, or its last day if it has none (EU Regulation 1182/71, Art. 3); extendable once by
   * two further months where necessary, the subject told of the extension, with its reasons,
   * within the first month.
   */
  GDPR,
  /**
   * CCPA (Cal. Civ. Code § 1798.130(a)(2)): within 45 calendar days, the day of receipt the
   * first (CCPA Regulations § 7021(b) begins the period on it), extendable once by 45 more when
   * reasonably necessary, the consumer told within the first 45 days; an opt-out of sale or
   * sharing within 15 business days (§ 7026(f)), the day of receipt the first if a business
   * day, not extendable.
   */
  CCPA;

  /**
   * When a request of {@code type} received at {@code receivedAt} must have been answered by:
   * the first instant past its time limit in {@code zone}.
   */
  public Instant due(RequestType type, Instant receivedAt, ZoneId zone) {
    LocalDate received = day(type, receivedAt, zone);
    LocalDate last = switch (this) {
      case GDPR -> received.plusMonths(1);
      case CCPA -> type == RequestType.OPT_OUT ? businessDaysFrom(received, 15)
          : received.plusDays(44);
    };
    return endOf(last, zone);
  }

  /**
   * The limit of a request of {@code type} received at {@code receivedAt} once extended, or
   * empty if it cannot be extended.
   */
  public Optional<Instant> extendedDue(RequestType type, Instant receivedAt, ZoneId zone) {
    LocalDate received = day(type, receivedAt, zone);
    return switch (this) {
      case GDPR -> Optional.of(endOf(received.plusMonths(3), zone));
      case CCPA -> type == RequestType.OPT_OUT ? Optional.empty()
          : Optional.of(endOf(received.plusDays(89), zone));
    };
  }

  private static LocalDate day(RequestType type, Instant receivedAt, ZoneId zone) {
    Checks.notNull(type, "request type");
    Checks.notNull(zone, "time zone");
    return Checks.notNull(receivedAt, "received time").atZone(zone).toLocalDate();
  }

  /** The first instant of the day after {@code last}. */
  private static Instant endOf(LocalDate last, ZoneId zone) {
    return last.plusDays(1).atStartOfDay(zone).toInstant();
  }

  /** The {@code days}-th business day counting {@code first} as the first if it is one. */
  private static LocalDate businessDaysFrom(LocalDate first, int days) {
    LocalDate d = first.minusDays(1);
    for (int left = days; left > 0; ) {
      d = d.plusDays(1);
      if (d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY) {
        left--;
      }
    }
    return d;
  }
}
