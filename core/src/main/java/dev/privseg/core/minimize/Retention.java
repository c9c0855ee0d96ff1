package dev.privseg.core.minimize;

import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.LongColumn;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.FieldType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * A retention limit (storage limitation, GDPR Art. 5(1)(e)): a row is processed only if its date
 * field lies within {@code period} before the run's instant. Rows dated earlier, and rows with no
 * date (which cannot show they are within the limit), are excluded. Dates are compared in UTC; a
 * DATE qualifies if it is on or after the cut-off day, a TIMESTAMP if it is at or after the
 * cut-off instant. Immutable.
 *
 * @param field the DATE or TIMESTAMP field that dates a row, e.g. the last order or contact
 * @param period how far back rows are kept, e.g. {@code Period.ofYears(3)}
 */
public record Retention(String field, Period period) {

  /** Checks the arguments. */
  public Retention {
    Checks.notBlank(field, "retention field");
    Checks.notNull(period, "retention period");
    Checks.check(!period.isNegative() && !period.isZero(),
        "retention period must be positive but was %s", period);
  }

  /** The first instant within the limit for a run at {@code at}. */
  public Instant cutoff(Instant at) {
    return at.atOffset(ZoneOffset.UTC).minus(period).toInstant();
  }

  /**
   * Which rows of {@code data} are within the limit for a run at {@code at}.
   *
   * @throws ConfigurationException if the field is missing or not a DATE or TIMESTAMP
   */
  public Selection select(Dataset data, Instant at) {
    if (!data.schema().contains(field)) {
      throw new ConfigurationException("retention field '" + field + "' is not in the input "
          + "schema " + data.schema().names());
    }
    Field f = data.schema().field(field);
    if (f.type() != FieldType.DATE && f.type() != FieldType.TIMESTAMP) {
      throw new ConfigurationException("retention field '" + field + "' must be a DATE or "
          + "TIMESTAMP but is " + f.type());
    }
    Instant cutoff = cutoff(at);
    long first = f.type() == FieldType.DATE
        ? LocalDate.ofInstant(cutoff, ZoneOffset.UTC).toEpochDay()
        : cutoff.toEpochMilli();
    LongColumn dates = data.column(field, LongColumn.class);
    int[] rows = new int[data.rowCount()];
    int kept = 0;
    long older = 0;
    long undated = 0;
    for (int r = 0; r < rows.length; r++) {
      if (dates.isNull(r)) {
        undated++;
      } else if (dates.get(r) < first) {
        older++;
      } else {
        rows[kept++] = r;
      }
    }
    return new Selection(Arrays.copyOf(rows, kept), older, undated);
  }

  /**
   * The rows a retention limit keeps, and how many it excludes per reason.
   *
   * @param rows the rows within the limit, in order
   * @param olderThanLimit rows dated before the cut-off
   * @param undated rows without a date
   */
  public record Selection(int[] rows, long olderThanLimit, long undated) {}

  /** For the record, e.g. {@code "last_order within P3Y before the run"}. */
  public String description() {
    return field + " within " + period + " before the run";
  }
}
