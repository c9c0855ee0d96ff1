package dev.privseg.core.dataset;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;

/**
 * Reads ISO-8601 dates and instants from text. The forms data files almost always hold,
 * {@code 2026-03-01} and {@code 2026-03-01T12:30:00Z} (with an optional fraction of one to nine
 * digits), are read by position, with {@code java.time} doing the calendar arithmetic; anything
 * else, including any value these paths are unsure of (a day past the month's end, a leap
 * second, an offset other than {@code Z}), goes to {@code java.time}'s own parsers, so every
 * result and every error is exactly theirs. Those parsers cost about 1 µs per value, more than
 * the rest of reading a transactions file.
 */
final class IsoDates {
  private static final int[] POWERS = {
      1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000};

  private IsoDates() {}

  /** The epoch day of an ISO local date, as {@code LocalDate.parse(text).toEpochDay()}. */
  static long epochDay(String text) {
    if (text.length() == 10) {
      long day = fastEpochDay(text);
      if (day != Long.MIN_VALUE) {
        return day;
      }
    }
    return LocalDate.parse(text).toEpochDay();
  }

  /**
   * The epoch millisecond of an ISO instant, or of a date-time with an offset, as {@code
   * Instant.parse} and then {@code OffsetDateTime.parse} give it.
   */
  static long epochMilli(String text) {
    long fast = fastEpochMilli(text);
    if (fast != Long.MIN_VALUE) {
      return fast;
    }
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException e) {
      return OffsetDateTime.parse(text).toInstant().toEpochMilli();
    }
  }

  /** {@code yyyy-MM-dd} at the start of {@code text}, or {@link Long#MIN_VALUE}. */
  private static long fastEpochDay(String text) {
    if (text.length() < 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
      return Long.MIN_VALUE;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1
        || (day > 28 && day > YearMonth.of(year, month).lengthOfMonth())) {
      return Long.MIN_VALUE;
    }
    return LocalDate.of(year, month, day).toEpochDay();
  }

  /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, or {@link Long#MIN_VALUE}. */
  private static long fastEpochMilli(String text) {
    int length = text.length();
    if (length < 20 || text.charAt(10) != 'T' || text.charAt(13) != ':'
        || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z') {
      return Long.MIN_VALUE;
    }
    long day = fastEpochDay(text);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    if (day == Long.MIN_VALUE || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 59) {
      return Long.MIN_VALUE;
    }
    int nanos = 0;
    if (length > 20) {
      int fraction = length - 21; // between the '.' at 19 and the 'Z'
      if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
        return Long.MIN_VALUE;
      }
      int value = digits(text, 20, fraction);
      if (value < 0) {
        return Long.MIN_VALUE;
      }
      nanos = value * POWERS[9 - fraction];
    }
    return Instant.ofEpochSecond(day * 86_400 + hour * 3_600L + minute * 60L + second, nanos)
        .toEpochMilli();
  }

  /** The number in {@code text[from, from + count)}, or -1 if a character is not a digit. */
  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      int digit = text.charAt(i) - '0';
      if (digit < 0 || digit > 9) {
        return -1;
      }
      value = value * 10 + digit;
    }
    return value;
  }
}
