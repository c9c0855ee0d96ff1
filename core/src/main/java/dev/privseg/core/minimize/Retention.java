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
   * The rows of {@code data} within the limit for a run at {@code at}, in order, and the count of
   * rows outside it per reason into {@code excluded[0]} (dated before the cut-off) and
   * {@code excluded[1]} (no date).
   *
   * @throws ConfigurationException if the field is missing or not a DATE or TIMESTAMP
   */
  public int[] retainedRows(Dataset data, Instant at, long[] excluded) {
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
    for (int r = 0; r < rows.length; r++) {
      if (dates.isNull(r)) {
        excluded[1]++;
      } else if (dates.get(r) < first) {
        excluded[0]++;
      } else {
        rows[kept++] = r;
      }
    }
    return Arrays.copyOf(rows, kept);
  }

  /** For the record, e.g. {@code "last_order within P3Y before the run"}. */
  public String description() {
    return field + " within " + period + " before the run";
  }
}
