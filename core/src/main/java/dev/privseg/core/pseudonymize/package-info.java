/**
 * Pseudonymization of the subject identifier with a keyed hash (HMAC-SHA256), and the
 * {@link dev.privseg.core.pseudonymize.KeyProvider}s its keys come from (environment, key store,
 * ephemeral); keys are never logged or shown.
 */
package dev.privseg.core.pseudonymize;
