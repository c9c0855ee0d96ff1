package dev.privseg.consent.ledger;

import dev.privseg.core.Checks;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pseudonymize.KeyException;
import dev.privseg.core.pseudonymize.KeyProvider;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import org.bouncycastle.crypto.macs.SipHash;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Turns subject identifiers into {@link SubjectKey}s: two independent SipHash-2-4 PRFs (Aumasson
 * &amp; Bernstein 2012, Bouncy Castle's implementation) with 128-bit keys derived from the host's
 * key by HMAC-SHA256. SipHash rather than HMAC per subject because the gate keys every input row:
 * a few tens of nanoseconds instead of microseconds. 128 bits make a collision between two
 * subjects negligible (about n^2 / 2^129). Immutable and thread-safe; a {@link Session} reuses
 * its hash state for many identifiers on one thread.
 */
public final class SubjectKeyer {
  private final byte[] highKey;
  private final byte[] lowKey;
  private final String keyId;

  private SubjectKeyer(byte[] highKey, byte[] lowKey, String keyId) {
    this.highKey = highKey;
    this.lowKey = lowKey;
    this.keyId = keyId;
  }

  /** A keyer whose SipHash keys are derived from {@code keys} (label "privseg-ledger-v1"). */
  public static SubjectKeyer from(KeyProvider keys) {
    Checks.notNull(keys, "key provider");
    byte[] derived;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(keys.hmacKey());
      derived = mac.doFinal("privseg-ledger-v1".getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new KeyException("cannot derive ledger keys from key " + keys.keyId() + ": "
          + e.getClass().getSimpleName(), e);
    }
    ByteBuffer b = ByteBuffer.wrap(derived);
    // SipHash keys (k0, k1) as 16 little-endian bytes; the derivation is the same as in every
    // ledger written so far, so stored keys stay valid.
    byte[] high = sipKey(b.getLong(0), b.getLong(8));
    byte[] low = sipKey(b.getLong(16), b.getLong(24));
    java.util.Arrays.fill(derived, (byte) 0);
    return new SubjectKeyer(high, low, keys.keyId());
  }

  private static byte[] sipKey(long k0, long k1) {
    return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(k0).putLong(k1).array();
  }

  /** The key of {@code subject}. */
  public SubjectKey key(SubjectId subject) {
    byte[] id = subject.value().getBytes(StandardCharsets.UTF_8);
    Session s = session();
    return new SubjectKey(s.high(id, 0, id.length), s.low(id, 0, id.length));
  }

  /** A session for keying many identifiers on one thread without allocating per identifier. */
  public Session session() {
    return new Session();
  }

  /** The non-secret name of the key the ledger keys are derived from. */
  public String keyId() {
    return keyId;
  }

  @Override
  public String toString() {
    return "SubjectKeyer[SipHash-2-4 x2, key " + keyId + "]";
  }

  /** Reusable hash state of one thread. Not thread-safe. */
  public final class Session {
    private final SipHash high = new SipHash(2, 4);
    private final SipHash low = new SipHash(2, 4);

    private Session() {
      high.init(new KeyParameter(highKey));
      low.init(new KeyParameter(lowKey));
    }

    /** The high 64 bits of the key of the UTF-8 identifier in {@code data[offset, +length)}. */
    public long high(byte[] data, int offset, int length) {
      high.update(data, offset, length);
      return high.doFinal();
    }

    /** The low 64 bits of the key of the UTF-8 identifier in {@code data[offset, +length)}. */
    public long low(byte[] data, int offset, int length) {
      low.update(data, offset, length);
      return low.doFinal();
    }

    @Override
    public String toString() {
      return "SubjectKeyer.Session[key " + keyId + "]";
    }
  }
}
