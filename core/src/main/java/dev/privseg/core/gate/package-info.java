/**
 * The lawful-basis gate: {@link dev.privseg.core.gate.LawfulBasisGate} decides, for every input
 * row, whether its subject may be processed for the run's purpose at the run's instant. Only rows
 * it allows reach any later stage. {@link dev.privseg.core.gate.AllowListGate} is the simplest
 * gate; the {@code privseg-consent} module provides the ledger-backed one.
 */
package dev.privseg.core.gate;
