package dev.privseg.core.pseudonymize;

import dev.privseg.core.SubjectId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/** HMAC-SHA256 pseudonyms through the JCA. A {@link Mac} per thread: Mac is not thread-safe. */
final class HmacPseudonymizer implements Pseudonymizer {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private final String keyId;
  private final ThreadLocal<Mac> mac;

  HmacPseudonymizer(KeyProvider keys) {
    this.keyId = keys.keyId();
    // Checked here, in the primitive: a custom provider's key gets the same check.
    SecretKey key = StrongKeys.check(keys.hmacKey(), keyId);
    newMac(key); // fail fast on a key the JCA rejects
    this.mac = ThreadLocal.withInitial(() -> newMac(key));
  }

  private static Mac newMac(SecretKey key) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(key);
      return m;
    } catch (GeneralSecurityException e) {
      throw new KeyException("the key cannot be used for HMAC-SHA256: "
          + e.getClass().getSimpleName(), e);
    }
  }

  @Override
  public Pseudonym pseudonymize(SubjectId subject) {
    byte[] tag = mac.get().doFinal(subject.value().getBytes(StandardCharsets.UTF_8));
    return new Pseudonym(ENCODER.encodeToString(tag));
  }

  @Override
  public String method() {
    return "HMAC-SHA256";
  }

  @Override
  public String keyId() {
    return keyId;
  }

  @Override
  public String toString() {
    return "Pseudonymizer[HMAC-SHA256, key " + keyId + "]";
  }
}
