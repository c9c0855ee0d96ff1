package dev.privseg.core.segment.rfm;

import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.dataset.LongColumn;
import dev.privseg.core.dataset.NumberColumn;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

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
    Map<String, Integer> index = new HashMap<>();
    int capacity = 1024;
    long[] last = new long[capacity];
    long[] count = new long[capacity];
    double[] total = new double[capacity];
    String[] ids = new String[capacity];
    for (int r = 0; r < transactions.rowCount(); r++) {
      if (subjects.isNull(r) || times.isNull(r) || amounts.isNull(r)) {
        continue;
      }
      long t = timeType == FieldType.DATE ? times.get(r) * 86_400_000L : times.get(r);
      if (t > asOfMillis) {
        continue;
      }
      String id = subjects.get(r);
      Integer i = index.get(id);
      if (i == null) {
        i = index.size();
        index.put(id, i);
        if (i == capacity) {
          capacity *= 2;
          last = java.util.Arrays.copyOf(last, capacity);
          count = java.util.Arrays.copyOf(count, capacity);
          total = java.util.Arrays.copyOf(total, capacity);
          ids = java.util.Arrays.copyOf(ids, capacity);
        }
        ids[i] = id;
        last[i] = Long.MIN_VALUE;
      }
      last[i] = Math.max(last[i], t);
      count[i]++;
      total[i] += amounts.asDouble(r);
    }
    DatasetBuilder b = Dataset.builder(SCHEMA);
    for (int i = 0; i < index.size(); i++) {
      b.setText(0, ids[i]);
      b.setNumber(1, Math.floorDiv(asOfMillis - last[i], 86_400_000L));
      b.setNumber(2, count[i]);
      b.setNumber(3, total[i]);
      b.endRow();
    }
    return b.build();
  }
}
