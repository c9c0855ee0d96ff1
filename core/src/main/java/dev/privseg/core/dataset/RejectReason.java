package dev.privseg.core.dataset;

/** Why an input row was rejected. */
public enum RejectReason {
  /** The record could not be parsed or has the wrong number of fields. */
  MALFORMED_RECORD,
  /** A value does not parse as the field's declared type. */
  WRONG_TYPE,
  /** A required field has no value. */
  MISSING_REQUIRED,
  /** A categorical value is outside the field's declared closed set. */
  UNKNOWN_CATEGORY
}
