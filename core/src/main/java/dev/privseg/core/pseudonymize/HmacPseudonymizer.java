package dev.privseg.core.pseudonymize;

import dev.privseg.core.SubjectId;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;

/** HMAC-SHA256 pseudonyms through the JCA. A {@link Mac} per thread: Mac is not thread-safe. */
final class HmacPseudonymizer implements Pseudonymizer {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private final String keyId;
  private final ThreadLocal<Mac> mac;

  HmacPseudonymizer(KeyProvider keys) {
    this.keyId = keys.keyId();
    this.mac = ThreadLocal.withInitial(keys::newHmacSha256);
  }

  @Override
  public Pseudonym pseudonymize(SubjectId subject) {
    byte[] tag = mac.get().doFinal(subject.value().getBytes(StandardCharsets.UTF_8));
    return new Pseudonym(ENCODER.encodeToString(tag));
  }

  @Override
  public String description() {
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
