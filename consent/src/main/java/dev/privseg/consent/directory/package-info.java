/**
 * Erasable pseudonyms: a directory of per-subject pseudonyms whose entry, once deleted on
 * erasure, leaves the subject's past pseudonym unlinkable.
 */
package dev.privseg.consent.directory;
