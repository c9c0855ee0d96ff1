/**
 * Privacy signals turned into ledger events: IAB GPP strings (TCF EU v2.2 and US sections),
 * TCF v2.2 TC strings, the US Privacy string and Global Privacy Control, through a configurable
 * {@link dev.privseg.signals.SignalMapping}. A malformed signal records nothing.
 */
package dev.privseg.signals;
