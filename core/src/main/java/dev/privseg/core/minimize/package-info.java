/**
 * Field-level data minimization: keep only the fields a purpose needs (default deny), refuse
 * direct identifiers and special categories without explicit grounds, and coarsen what is kept
 * ({@link dev.privseg.core.minimize.Coarsen}: bands, top codes, date truncation, relabelling).
 */
package dev.privseg.core.minimize;
