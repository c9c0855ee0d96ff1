package dev.privseg.core.pseudonymize;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/** A provider holding one checked key, which only its HMAC instances use. Immutable. */
final class FixedKeyProvider implements KeyProvider {
  private final SecretKey key;
  private final String keyId;

  FixedKeyProvider(SecretKey key, String keyId) {
    this.key = key;
    this.keyId = keyId;
    newHmacSha256(); // fail fast on a key the JCA refuses
  }

  @Override
  public Mac newHmacSha256() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new KeyException("key " + keyId + " cannot be used for HMAC-SHA256: "
          + e.getClass().getSimpleName(), e);
    }
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
