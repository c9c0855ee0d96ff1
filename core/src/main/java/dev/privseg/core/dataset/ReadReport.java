package dev.privseg.core.dataset;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a reader did: rows read, rows accepted, and rows rejected per reason (lenient mode). Holds
 * counts only, never values or row contents.
 *
 * @param rowsRead data rows seen in the input
 * @param rowsAccepted rows that entered the dataset
 * @param rejected rows skipped, per reason (empty in strict mode, which throws instead)
 */
public record ReadReport(long rowsRead, long rowsAccepted, Map<RejectReason, Long> rejected) {

  /** Copies the map. */
  public ReadReport {
    EnumMap<RejectReason, Long> copy = new EnumMap<>(RejectReason.class);
    copy.putAll(rejected);
    rejected = Collections.unmodifiableMap(copy);
  }

  /** A report for {@code rows} rows created in memory, all accepted. */
  public static ReadReport allAccepted(long rows) {
    return new ReadReport(rows, rows, Map.of());
  }

  /** This report and {@code other} together, as for one input read in parts. */
  public ReadReport plus(ReadReport other) {
    EnumMap<RejectReason, Long> sum = new EnumMap<>(RejectReason.class);
    sum.putAll(rejected);
    other.rejected.forEach((reason, count) -> sum.merge(reason, count, Long::sum));
    return new ReadReport(rowsRead + other.rowsRead, rowsAccepted + other.rowsAccepted, sum);
  }

  /** The total number of rejected rows. */
  public long rejectedTotal() {
    return rejected.values().stream().mapToLong(Long::longValue).sum();
  }
}
