package dev.privseg.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.ToLongFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * The fast paths of {@link IsoDates} give exactly what {@code java.time} gives: the same value
 * for every valid date and instant, and the same exception for anything else.
 */
class IsoDatesProperties {

  /** What java.time makes of a timestamp field, as the reader did before the fast path. */
  static long javaTimeMilli(String text) {
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException e) {
      return OffsetDateTime.parse(text).toInstant().toEpochMilli();
    }
  }

  static long javaTimeDay(String text) {
    return LocalDate.parse(text).toEpochDay();
  }

  /** The outcome of {@code f} on {@code text}: its value, or the class of what it threw. */
  static String outcome(ToLongFunction<String> f, String text) {
    try {
      return Long.toString(f.applyAsLong(text));
    } catch (RuntimeException e) {
      return e.getClass().getName();
    }
  }

  @Property(tries = 3_000)
  void everyInstantInYears0To9999ReadsAsJavaTimeReadsIt(
      @ForAll @LongRange(min = -62_167_219_200L, max = 253_402_300_799L) long second,
      @ForAll @IntRange(min = 0, max = 999_999_999) int nanos,
      @ForAll @IntRange(min = 0, max = 9) int fractionDigits) {
    String base = Instant.ofEpochSecond(second).toString(); // yyyy-MM-ddTHH:mm:ssZ
    String fraction = fractionDigits == 0 ? ""
        : "." + String.format("%09d", nanos).substring(0, fractionDigits);
    String text = base.substring(0, base.length() - 1) + fraction + "Z";

    assertThat(IsoDates.epochMilli(text)).isEqualTo(javaTimeMilli(text));
  }

  @Property(tries = 2_000)
  void everyDateInYears0To9999ReadsAsJavaTimeReadsIt(
      @ForAll @LongRange(min = -719_528, max = 2_932_896) long epochDay) {
    String text = LocalDate.ofEpochDay(epochDay).toString();

    assertThat(IsoDates.epochDay(text)).isEqualTo(epochDay);
  }

  @Property(tries = 5_000)
  void anythingShapedLikeATimestampGetsJavaTimesValueOrError(
      @ForAll("timestampShaped") String text) {
    assertThat(outcome(IsoDates::epochMilli, text)).isEqualTo(outcome(
        IsoDatesProperties::javaTimeMilli, text));
  }

  @Property(tries = 3_000)
  void anythingShapedLikeADateGetsJavaTimesValueOrError(@ForAll("dateShaped") String text) {
    assertThat(outcome(IsoDates::epochDay, text)).isEqualTo(outcome(
        IsoDatesProperties::javaTimeDay, text));
  }

  @Test
  void formsTheFastPathLeavesToJavaTimeStillRead() {
    String[] texts = {"2026-03-01T12:30:00+02:00", "2026-03-01T12:30Z", "2016-12-31T23:59:60Z",
        "2026-03-01t12:30:00z", "+12026-03-01T12:30:00Z", "2026-03-01T12:30:00.Z",
        "2026-03-01T12:30:00.1234567890Z", "2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z",
        "2026-13-01T00:00:00Z", "2026-03-01T24:00:00Z", "2026-03-01T12:30:00", ""};
    for (String text : texts) {
      assertThat(outcome(IsoDates::epochMilli, text)).as(text)
          .isEqualTo(outcome(IsoDatesProperties::javaTimeMilli, text));
    }
    for (String text : new String[] {"2024-02-29", "2023-02-29", "2026-04-31", "0000-01-01",
        "2026-1-01", "+12026-01-01", "2026/01/01", "2026-00-10"}) {
      assertThat(outcome(IsoDates::epochDay, text)).as(text)
          .isEqualTo(outcome(IsoDatesProperties::javaTimeDay, text));
    }
  }

  /** Two digits, mostly in range, sometimes not. */
  static Arbitrary<String> twoDigits(int max) {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(0, max)
            .map(i -> String.format("%02d", i))),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 99)
            .map(i -> String.format("%02d", i))),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().withChars("0123456789x -").ofLength(2)));
  }

  @Provide
  Arbitrary<String> dateShaped() {
    Arbitrary<String> year = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(9, Arbitraries.integers().between(0, 9999)
            .map(i -> String.format("%04d", i))),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().withChars("0123456789+-a").ofLength(4)));
    Arbitrary<String> separator = Arbitraries.of("-", "-", "-", "-", "/");
    return Combinators.combine(year, separator, twoDigits(12), twoDigits(31))
        .as((y, s, m, d) -> y + s + m + "-" + d);
  }

  @Provide
  Arbitrary<String> timestampShaped() {
    Arbitrary<String> fraction = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, Arbitraries.just("")),
        net.jqwik.api.Tuple.of(4, Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(9)
            .map(f -> "." + f)),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().withChars("0123456789.x")
            .ofMinLength(0).ofMaxLength(11).map(f -> "." + f)));
    Arbitrary<String> zone = Arbitraries.of("Z", "Z", "Z", "Z", "z", "+01:00", "", "-00:30");
    Arbitrary<String> time = Combinators.combine(twoDigits(23), twoDigits(59), twoDigits(60))
        .as((h, m, s) -> h + ":" + m + ":" + s);
    return Combinators.combine(dateShaped(), Arbitraries.of("T", "T", "T", "t", " "), time,
        fraction, zone).as((d, t, hms, f, z) -> d + t + hms + f + z);
  }
}
