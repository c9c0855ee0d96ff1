/**
 * The ledger-backed lawful-basis gate: {@link dev.privseg.consent.ConsentGate} decides each
 * subject from the consent ledger under each purpose's {@link dev.privseg.consent.ConsentPolicy}.
 */
package dev.privseg.consent;
