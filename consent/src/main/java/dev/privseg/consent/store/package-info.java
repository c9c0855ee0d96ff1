/**
 * Where ledger events are kept: the {@link dev.privseg.consent.store.LedgerStore} contract and
 * its in-memory implementation.
 */
package dev.privseg.consent.store;
