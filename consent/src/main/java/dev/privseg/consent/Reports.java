package dev.privseg.consent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.privseg.core.Checks;
import java.time.Period;

/** What the reports of this package (status, records of processing, DPIA evidence) share. */
final class Reports {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private Reports() {}

  /** {@code report}, plain values only, as indented JSON with map entries sorted. */
  static String json(Object report) {
    try {
      return JSON.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a report is plain values only", e);
    }
  }

  /** {@code period} checked as a positive {@code keepRunsFor}. */
  static Period keepRunsFor(Period period) {
    Checks.notNull(period, "keepRunsFor");
    Checks.check(!period.isNegative() && !period.isZero(),
        "keepRunsFor must be a positive period but was %s", period);
    return period;
  }
}
