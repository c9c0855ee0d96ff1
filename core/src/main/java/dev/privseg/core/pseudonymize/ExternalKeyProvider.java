package dev.privseg.core.pseudonymize;

import java.util.function.Supplier;
import javax.crypto.Mac;

/**
 * A provider of a key privseg never sees: HMAC-SHA256 instances made by the host (from an HSM or
 * a KMS), checked for their algorithm. Immutable.
 */
final class ExternalKeyProvider implements KeyProvider {
  private final String keyId;
  private final Supplier<Mac> macs;

  ExternalKeyProvider(String keyId, Supplier<Mac> macs) {
    this.keyId = keyId;
    this.macs = macs;
    newHmacSha256(); // fail fast on a supplier that cannot make one
  }

  @Override
  public Mac newHmacSha256() {
    Mac mac;
    try {
      mac = macs.get();
    } catch (RuntimeException e) {
      throw new KeyException("key " + keyId + " could not make an HMAC-SHA256 instance: "
          + e.getClass().getSimpleName(), e);
    }
    if (mac == null || !"HmacSHA256".equalsIgnoreCase(mac.getAlgorithm())
        || mac.getMacLength() != 32) {
      throw new KeyException("key " + keyId + " must make HMAC-SHA256 instances but made "
          + (mac == null ? "none" : mac.getAlgorithm()));
    }
    return mac;
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
