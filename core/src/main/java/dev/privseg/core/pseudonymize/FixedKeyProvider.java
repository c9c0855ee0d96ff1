package dev.privseg.core.pseudonymize;

import javax.crypto.SecretKey;

/** A provider holding one key. Immutable. */
final class FixedKeyProvider implements KeyProvider {
  private final SecretKey key;
  private final String keyId;

  FixedKeyProvider(SecretKey key, String keyId) {
    this.key = key;
    this.keyId = keyId;
  }

  @Override
  public SecretKey hmacKey() {
    return key;
  }

  @Override
  public String keyId() {
    return keyId;
  }

  @Override
  public String toString() {
    return "KeyProvider[" + keyId + "]";
  }
}
