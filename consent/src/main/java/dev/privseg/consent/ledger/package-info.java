/**
 * The append-only, hash-chained consent ledger: immutable events per subject and purpose,
 * subjects named only by a keyed hash of their id, state derived at any instant, and
 * {@code verify()} reporting the first broken link.
 */
package dev.privseg.consent.ledger;
