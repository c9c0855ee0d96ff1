/**
 * Data minimization and storage limitation: keep only the fields a purpose needs (default
 * deny), refuse direct identifiers and special categories without explicit grounds, coarsen what
 * is kept ({@link dev.privseg.core.minimize.Coarsen}: bands, top codes, date truncation,
 * relabelling), and process only rows within a {@link dev.privseg.core.minimize.Retention} limit.
 */
package dev.privseg.core.minimize;
