/**
 * Reading datasets from CSV (Apache Commons CSV), JDBC result sets, maps and the host's own
 * objects, and writing CSV outputs; rows that do not fit the schema are rejected or fail the
 * read, as the reader is configured.
 */
package dev.privseg.core.io;
