package dev.privseg.core.dataset;

import dev.privseg.core.PrivsegException;

/**
 * An input row breaks the schema. The message names the row number (1-based, counting data rows,
 * not the header) and the field, and never the offending value.
 */
public class DataFormatException extends PrivsegException {
  private static final long serialVersionUID = 1L;
  private final long row;
  private final String field;
  private final RejectReason reason;

  /** Creates the exception; {@code detail} must not contain the value. */
  public DataFormatException(long row, String field, RejectReason reason, String detail) {
    super("row " + row + (field == null ? "" : ", field '" + field + "'") + ": " + detail);
    this.row = row;
    this.field = field;
    this.reason = reason;
  }

  /** The 1-based data row number. */
  public long row() {
    return row;
  }

  /** The field name, or {@code null} if the whole record is malformed. */
  public String field() {
    return field;
  }

  /** Why the row was rejected. */
  public RejectReason reason() {
    return reason;
  }
}
