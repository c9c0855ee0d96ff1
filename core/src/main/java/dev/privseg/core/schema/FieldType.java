package dev.privseg.core.schema;

/** How a field's values are stored and interpreted. */
public enum FieldType {
  /** A real number, stored as {@code double}. */
  NUMERIC,
  /** A whole number, stored as {@code long}. */
  INTEGER,
  /** One of a set of labels, stored as an {@code int} code into a dictionary. */
  CATEGORICAL,
  /** A calendar date (ISO-8601 {@code yyyy-MM-dd}), stored as epoch day. */
  DATE,
  /** An instant (ISO-8601, e.g. {@code 2024-03-01T10:15:30Z}), stored as epoch milliseconds. */
  TIMESTAMP,
  /** Free text, stored as strings. */
  TEXT,
  /** An identifier such as a customer number or e-mail address, stored as strings. */
  IDENTIFIER
}
