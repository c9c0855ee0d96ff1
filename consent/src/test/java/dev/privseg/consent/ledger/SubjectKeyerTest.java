package dev.privseg.consent.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pseudonymize.KeyProvider;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SubjectKeyerTest {
  static final SecretKey TEST_KEY = new SecretKeySpec(
      "test-only key, 32 bytes long....".getBytes(StandardCharsets.US_ASCII), "HmacSHA256");

  static final KeyProvider KEYS = new KeyProvider() {
    @Override
    public SecretKey hmacKey() {
      return TEST_KEY;
    }

    @Override
    public String keyId() {
      return "test";
    }
  };

  /** The keys as the first version computed them, with Guava's SipHash-2-4. */
  static SubjectKey guavaKey(String id) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(TEST_KEY);
    ByteBuffer b = ByteBuffer.wrap(mac.doFinal(
        "privseg-ledger-v1".getBytes(StandardCharsets.UTF_8)));
    HashFunction high = Hashing.sipHash24(b.getLong(0), b.getLong(8));
    HashFunction low = Hashing.sipHash24(b.getLong(16), b.getLong(24));
    byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
    return new SubjectKey(high.hashBytes(bytes).asLong(), low.hashBytes(bytes).asLong());
  }

  @Test
  void keysAreThoseEarlierLedgersStoredWhetherKeyedOneByOneOrInASession() throws Exception {
    SubjectKeyer keyer = SubjectKeyer.from(KEYS);
    SubjectKeyer.Session session = keyer.session();
    for (String id : new String[] {"C00000001", "x", "Zoë-Ångström", "a-much-longer-identifier-"
        + "that-spans-several-sipHash-blocks-0123456789"}) {
      SubjectKey expected = guavaKey(id);
      assertThat(keyer.key(new SubjectId(id))).isEqualTo(expected);
      byte[] padded = ("##" + id + "#").getBytes(StandardCharsets.UTF_8);
      int length = id.getBytes(StandardCharsets.UTF_8).length;
      assertThat(new SubjectKey(session.high(padded, 2, length), session.low(padded, 2, length)))
          .isEqualTo(expected);
    }
    assertThat(keyer.toString()).doesNotContain("test-only");
  }
}
