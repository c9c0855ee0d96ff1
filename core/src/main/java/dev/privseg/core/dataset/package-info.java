/**
 * The in-memory, columnar {@link dev.privseg.core.dataset.Dataset}: primitive columns per field
 * type, a null mask per column, and a {@link dev.privseg.core.dataset.ReadReport} of rows rejected
 * while reading (by row number and reason, never by value).
 */
package dev.privseg.core.dataset;
