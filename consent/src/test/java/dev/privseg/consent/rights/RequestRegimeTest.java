package dev.privseg.consent.rights;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * The time limits of data subject requests: the GDPR's month (Regulation 1182/71: the same date
 * of the next month, or its last day), the CCPA's 45 days and 15 business days, each ending at
 * midnight in the controller's zone, and their extensions.
 */
class RequestRegimeTest {
  private static final ZoneId UTC = ZoneOffset.UTC;

  @Test
  void theGdprMonthEndsOnTheSameDateOrTheMonthsLastDay() {
    assertThat(RequestRegime.GDPR.due(RequestType.ACCESS,
        Instant.parse("2027-01-10T15:00:00Z"), UTC)).isEqualTo("2027-02-11T00:00:00Z");
    assertThat(RequestRegime.GDPR.due(RequestType.ERASURE,
        Instant.parse("2027-01-31T08:00:00Z"), UTC)).isEqualTo("2027-03-01T00:00:00Z");
    assertThat(RequestRegime.GDPR.due(RequestType.ERASURE,
        Instant.parse("2028-01-31T08:00:00Z"), UTC)).isEqualTo("2028-03-01T00:00:00Z");
    // Extended by two further months: three from receipt.
    assertThat(RequestRegime.GDPR.extendedDue(RequestType.ACCESS,
        Instant.parse("2027-01-31T08:00:00Z"), UTC)).contains(Instant.parse("2027-05-01T00:00:00Z"));
  }

  @Test
  void daysEndAtMidnightInTheControllersZone() {
    // 23:30 UTC on 10 March is 00:30 on 11 March in Berlin: the month runs from the 11th, and
    // ends at midnight in Berlin (22:00 UTC in summer time).
    assertThat(RequestRegime.GDPR.due(RequestType.ACCESS,
        Instant.parse("2027-03-10T23:30:00Z"), ZoneId.of("Europe/Berlin")))
        .isEqualTo("2027-04-11T22:00:00Z");
  }

  /** The longest GDPR month, found by the property below: from the 1st across a clock change. */
  @Test
  void aMonthFromTheFirstAcrossTheFallBackHourIsThirtyTwoDaysOfHours() {
    ZoneId la = ZoneId.of("America/Los_Angeles");
    Instant received = Instant.parse("2026-10-01T07:01:00Z"); // 00:01 on 1 October, PDT
    Instant due = RequestRegime.GDPR.due(RequestType.ACCESS, received, la);
    assertThat(due).isEqualTo("2026-11-02T08:00:00Z"); // midnight after 1 November, PST
    assertThat(Duration.between(received, due).toHours() / 24).isEqualTo(32);
  }

  @Test
  void theCcpaCountsFortyFiveDaysAndFifteenBusinessDaysFromTheDayOfReceipt() {
    Instant monday = Instant.parse("2027-01-04T10:00:00Z");
    // 4 January is the first of 45 days: the 45th is 17 February.
    assertThat(RequestRegime.CCPA.due(RequestType.ACCESS, monday, UTC))
        .isEqualTo("2027-02-18T00:00:00Z");
    assertThat(RequestRegime.CCPA.extendedDue(RequestType.ACCESS, monday, UTC))
        .contains(Instant.parse("2027-04-04T00:00:00Z"));
    // An opt-out received on a Friday: that Friday is the first business day, Thursday 28 the
    // fifteenth; received on a Saturday, Monday is the first and Friday 29 the fifteenth.
    assertThat(RequestRegime.CCPA.due(RequestType.OPT_OUT,
        Instant.parse("2027-01-08T10:00:00Z"), UTC)).isEqualTo("2027-01-29T00:00:00Z");
    assertThat(RequestRegime.CCPA.due(RequestType.OPT_OUT,
        Instant.parse("2027-01-09T10:00:00Z"), UTC)).isEqualTo("2027-01-30T00:00:00Z");
    assertThat(RequestRegime.CCPA.extendedDue(RequestType.OPT_OUT, monday, UTC)).isEmpty();
  }

  @Property(tries = 500)
  void aLimitEndsAtMidnightAfterReceiptAndExtensionsOnlyLengthenIt(
      @ForAll @LongRange(min = 1_600_000_000L, max = 2_200_000_000L) long seconds,
      @ForAll RequestRegime regime, @ForAll RequestType type) {
    ZoneId zone = ZoneId.of("America/Los_Angeles");
    Instant received = Instant.ofEpochSecond(seconds);
    Instant due = regime.due(type, received, zone);
    assertThat(due.atZone(zone).toLocalTime()).as("midnight").isEqualTo("00:00");
    long days = Duration.between(received, due).toHours() / 24;
    if (regime == RequestRegime.GDPR) {
      // Received just after midnight on the 1st, the month ends with the 1st of the next and
      // the limit is the midnight after: 31 days and 23 hours, 32 with a clock set back.
      assertThat(days).isBetween(28L, 32L);
    } else if (type == RequestType.OPT_OUT) {
      assertThat(days).isBetween(18L, 21L); // 15 business days: three weeks, give or take
    } else {
      assertThat(days).isBetween(43L, 45L);
    }
    regime.extendedDue(type, received, zone).ifPresent(extended ->
        assertThat(extended).isAfter(due));
    // A later receipt never has an earlier limit.
    assertThat(regime.due(type, received.plusSeconds(3_600), zone)).isAfterOrEqualTo(due);
  }
}
