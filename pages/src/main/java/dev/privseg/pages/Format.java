package dev.privseg.pages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** How pages write numbers, shares, instants and names, and the data their charts read. */
final class Format {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TIME = DateTimeFormatter
      .ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Format() {}

  /** {@code 12,345}. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** {@code part} of {@code whole} as {@code 81.2 %}; {@code whenNone} if whole is 0. */
  static String percent(long part, long whole, String whenNone) {
    return whole == 0 ? whenNone : String.format(Locale.ROOT, "%.1f %%", 100.0 * part / whole);
  }

  /** A share from 0 to 1 as {@code 37.5 %}; "not measured" if it is not a number. */
  static String percent(Object share) {
    return share instanceof Number n ? String.format(Locale.ROOT, "%.1f %%",
        100 * n.doubleValue()) : "not measured";
  }

  /** An ISO-8601 instant as {@code 2026-03-02 09:00 UTC}; other text unchanged, "" as "". */
  static String instant(String iso) {
    if (iso == null || iso.isEmpty()) {
      return "";
    }
    try {
      return TIME.format(Instant.parse(iso));
    } catch (DateTimeParseException e) {
      return iso;
    }
  }

  /** {@code SOME_NAME} as {@code some name}. */
  static String words(String name) {
    return name.toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  /** {@code value} as JSON safe inside a script element. */
  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value).replace("<", "\\u003c");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("chart data is plain values only", e);
    }
  }
}
