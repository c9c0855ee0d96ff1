package dev.privseg.core.pseudonymize;

import javax.crypto.SecretKey;

/**
 * The check every key privseg can see passes when its {@link KeyProvider} is made: at least 128
 * bits, and bytes that look like random key material rather than text or a pattern. Providers
 * are sealed, so no other kind of provider can skip it. Keys are never printed; a refusal names
 * the key by its id.
 */
final class StrongKeys {
  /** The shortest key accepted, in bytes (128 bits). */
  static final int MIN_BYTES = 16;

  private StrongKeys() {}

  /**
   * Returns {@code key} if it is strong enough, or throws.
   *
   * @param key the key handle
   * @param keyId the key's non-secret name, for the message
   * @throws KeyException if the key has no raw encoding, is shorter than 128 bits, is printable
   *     text (a password, or Base64 not decoded), or repeats too few byte values (all zeros,
   *     {@code aaaa...}, a short pattern)
   */
  static SecretKey check(SecretKey key, String keyId) {
    if (key == null) {
      throw new KeyException("key " + keyId + " is missing");
    }
    byte[] raw = key.getEncoded();
    if (raw == null) {
      throw new KeyException("key " + keyId + " has no raw encoding to check; for a key that "
          + "never leaves its hardware, use KeyProvider.external with the host's HMAC-SHA256");
    }
    try {
      if (raw.length < MIN_BYTES) {
        throw new KeyException("key " + keyId + " has " + raw.length * 8 + " bits; at least "
            + MIN_BYTES * 8 + " are required");
      }
      boolean text = true;
      boolean[] seen = new boolean[256];
      int distinct = 0;
      for (byte b : raw) {
        text &= b >= 0x20 && b < 0x7f;
        if (!seen[b & 0xff]) {
          seen[b & 0xff] = true;
          distinct++;
        }
      }
      // Random bytes are all printable with odds of (95/256)^16 < 1e-6 for the shortest key,
      // and repeat fewer than half as many values as they have with odds far below that.
      if (text) {
        throw new KeyException("key " + keyId + " is printable text, not random key material "
            + "(a password, or Base64 that was not decoded); generate one, e.g. with "
            + "`openssl rand -base64 32`");
      }
      if (distinct < Math.min(raw.length, 64) / 2) {
        throw new KeyException("key " + keyId + " repeats too few byte values to be random "
            + "(all zeros, one repeated byte or a short pattern); generate one, e.g. with "
            + "`openssl rand -base64 32`");
      }
      return key;
    } finally {
      java.util.Arrays.fill(raw, (byte) 0);
    }
  }
}
