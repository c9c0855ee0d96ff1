/**
 * What a run releases: segment assignments under pseudonyms, and per-segment profiles that are
 * released only for segments of at least the minimum size, either exact or through a
 * {@link dev.privseg.core.release.ProfileMechanism} such as the differentially private one of the
 * {@code privseg-anonymization} module.
 */
package dev.privseg.core.release;
