package dev.privseg.core.segment.rfm;

import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.dataset.LongColumn;
import dev.privseg.core.dataset.NumberColumn;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.internal.Utf8Groups;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.time.Instant;
import java.util.Arrays;

/**
 * Turns a transactions dataset (one row per purchase: subject, timestamp, amount) into one row per
 * subject with recency (days since the last purchase before {@code asOf}), frequency (purchases)
 * and monetary value (total amount): the input of {@link Rfm} segmentation. Transactions after
 * {@code asOf}, or without a subject, time or amount, are ignored.
 */
public final class RfmAggregation {
  /** The schema of the result. */
  public static final Schema SCHEMA = Schema.builder()
      .subjectId("subject_id")
      .field("recency_days", FieldType.INTEGER, PrivacyRole.OTHER)
      .field("frequency", FieldType.INTEGER, PrivacyRole.OTHER)
      .field("monetary", FieldType.NUMERIC, PrivacyRole.OTHER)
      .build();

  private RfmAggregation() {}

  /**
   * Aggregates {@code transactions}: {@code subjectField} (IDENTIFIER), {@code timeField}
   * (TIMESTAMP or DATE) and {@code amountField} (NUMERIC or INTEGER).
   */
  public static Dataset aggregate(Dataset transactions, String subjectField, String timeField,
      String amountField, Instant asOf) {
    StringColumn subjects = transactions.column(subjectField, StringColumn.class);
    LongColumn times = transactions.column(timeField, LongColumn.class);
    NumberColumn amounts = transactions.column(amountField, NumberColumn.class);
    FieldType timeType = transactions.schema().field(timeField).type();
    if (timeType != FieldType.TIMESTAMP && timeType != FieldType.DATE) {
      throw new ConfigurationException("RFM time field '" + timeField
          + "' must be a TIMESTAMP or DATE but is " + timeType);
    }
    long asOfMillis = Checks.notNull(asOf, "asOf").toEpochMilli();
    boolean days = timeType == FieldType.DATE;
    Totals totals = new Totals(times, amounts, days);
    // Customers are grouped by the bytes of their ids: decoding a String and looking it up in a
    // HashMap for each of ten million transactions took most of the aggregation's time.
    subjects.forEachUtf8((row, data, offset, length) -> {
      if (!times.isNull(row) && !amounts.isNull(row)
          && totals.time(row) <= asOfMillis) {
        totals.groups.add(row, data, offset, length);
      }
    });
    totals.groups.flush();
    DatasetBuilder b = Dataset.builder(SCHEMA);
    for (int i = 0; i < totals.groups.groups(); i++) {
      b.setText(0, subjects.get(totals.groups.firstRow(i)));
      b.setNumber(1, Math.floorDiv(asOfMillis - totals.last[i], 86_400_000L));
      b.setNumber(2, totals.count[i]);
      b.setNumber(3, totals.total[i]);
      b.endRow();
    }
    return b.build();
  }

  /** Per customer, in order of first purchase: last purchase, purchases, and amount spent. */
  private static final class Totals implements Utf8Groups.Sink {
    final Utf8Groups groups;
    private final LongColumn times;
    private final NumberColumn amounts;
    private final boolean days;
    long[] last = new long[1024];
    long[] count = new long[1024];
    double[] total = new double[1024];

    Totals(LongColumn times, NumberColumn amounts, boolean days) {
      this.times = times;
      this.amounts = amounts;
      this.days = days;
      this.groups = new Utf8Groups(1024, this);
    }

    long time(int row) {
      return days ? times.get(row) * 86_400_000L : times.get(row);
    }

    @Override
    public void accept(int row, int group) {
      if (group == last.length) {
        int size = group * 2;
        last = Arrays.copyOf(last, size);
        count = Arrays.copyOf(count, size);
        total = Arrays.copyOf(total, size);
      }
      if (count[group] == 0) {
        last[group] = Long.MIN_VALUE;
      }
      last[group] = Math.max(last[group], time(row));
      count[group]++;
      total[group] += amounts.asDouble(row);
    }
  }
}
