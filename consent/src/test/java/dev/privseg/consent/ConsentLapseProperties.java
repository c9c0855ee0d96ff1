package dev.privseg.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * A consent lapses exactly when the UTC calendar says: the fast path a status and the gate
 * take agrees with {@code given.atOffset(UTC).plus(period)} for any instant and any period of
 * years, months and days (month ends and leap days included).
 */
class ConsentLapseProperties {
  @Property(tries = 2_000)
  void theFastPathIsTheCalendars(@ForAll @LongRange(min = -2_000_000_000L,
      max = 4_000_000_000L) long seconds, @ForAll @IntRange(min = 0, max = 999_999_999) int nanos,
      @ForAll @IntRange(min = 0, max = 5) int years, @ForAll @IntRange(min = 0, max = 30)
      int months, @ForAll @IntRange(min = 0, max = 400) int days) {
    Instant given = Instant.ofEpochSecond(seconds, nanos);
    Period period = Period.of(years, months, days);
    assertThat(ConsentPolicy.lapses(given, period))
        .isEqualTo(given.atOffset(ZoneOffset.UTC).plus(period).toInstant());
  }
}
