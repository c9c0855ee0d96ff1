package dev.privseg.consent.ledger;

import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pseudonymize.KeyProvider;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.crypto.macs.SipHash;
import org.bouncycastle.crypto.macs.SipHash128;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Turns subject identifiers into 128-bit {@link SubjectKey}s with SipHash-2-4 (Aumasson &amp;
 * Bernstein 2012, Bouncy Castle's implementation) under keys derived from the host's key by
 * HMAC-SHA256. SipHash rather than HMAC per subject because the gate keys every input row: a few
 * tens of nanoseconds instead of microseconds. 128 bits make a collision between two subjects
 * negligible (about n^2 / 2^129).
 *
 * <p>Two schemes ({@link Scheme}): {@code privseg-ledger-v2}, the default, one SipHash-2-4-128
 * call per identifier; {@code privseg-ledger-v1}, two independent SipHash-2-4-64 calls, which
 * ledgers written before schemes were recorded use. A ledger over a store that records its scheme
 * switches to it ({@link ConsentLedger#open}), so an existing database keeps its keys. Immutable
 * and thread-safe; a {@link Session} reuses its hash state for many identifiers on one thread.
 */
public final class SubjectKeyer {
  /** How identifiers become keys. */
  public enum Scheme {
    /** Two SipHash-2-4-64 PRFs (label {@code privseg-ledger-v1}). */
    V1("privseg-ledger-v1"),
    /** One SipHash-2-4-128 PRF (label {@code privseg-ledger-v2}). */
    V2("privseg-ledger-v2");

    private final String label;

    Scheme(String label) {
      this.label = label;
    }

    /** The name stored with a ledger, also the label the keys are derived with. */
    public String label() {
      return label;
    }

    /** The scheme named {@code label}; throws naming the label if it is unknown. */
    public static Scheme of(String label) {
      for (Scheme s : values()) {
        if (s.label.equals(label)) {
          return s;
        }
      }
      throw new ConfigurationException("unknown subject key scheme '" + label + "'");
    }
  }

  private final Scheme scheme;
  private final byte[] v1High;
  private final byte[] v1Low;
  private final byte[] v2;
  private final String keyId;
  private final String checkValue;

  private SubjectKeyer(Scheme scheme, byte[] v1High, byte[] v1Low, byte[] v2, String keyId,
      String checkValue) {
    this.scheme = scheme;
    this.v1High = v1High;
    this.v1Low = v1Low;
    this.v2 = v2;
    this.keyId = keyId;
    this.checkValue = checkValue;
  }

  /** A keyer of the default scheme ({@link Scheme#V2}) whose keys derive from {@code keys}. */
  public static SubjectKeyer from(KeyProvider keys) {
    Checks.notNull(keys, "key provider");
    byte[] one = derive(keys, Scheme.V1.label());
    byte[] two = derive(keys, Scheme.V2.label());
    byte[] check = derive(keys, CHECK_LABEL);
    String checkValue = java.util.HexFormat.of().formatHex(check, 0, 16);
    ByteBuffer b = ByteBuffer.wrap(one);
    // SipHash keys (k0, k1) as 16 little-endian bytes, derived as every v1 ledger's were.
    byte[] high = sipKey(b.getLong(0), b.getLong(8));
    byte[] low = sipKey(b.getLong(16), b.getLong(24));
    byte[] v2 = java.util.Arrays.copyOf(two, 16);
    java.util.Arrays.fill(one, (byte) 0);
    java.util.Arrays.fill(two, (byte) 0);
    java.util.Arrays.fill(check, (byte) 0);
    return new SubjectKeyer(Scheme.V2, high, low, v2, keys.keyId(), checkValue);
  }

  /** What the key check value is derived with. */
  private static final String CHECK_LABEL = "privseg-key-check-v1";

  private static byte[] derive(KeyProvider keys, String label) {
    return keys.newHmacSha256().doFinal(label.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] sipKey(long k0, long k1) {
    return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(k0).putLong(k1).array();
  }

  /** This keyer under {@code scheme} (same host key). */
  public SubjectKeyer withScheme(Scheme scheme) {
    Checks.notNull(scheme, "scheme");
    return scheme == this.scheme ? this
        : new SubjectKeyer(scheme, v1High, v1Low, v2, keyId, checkValue);
  }

  /** The scheme identifiers are keyed with. */
  public Scheme scheme() {
    return scheme;
  }

  /** The key of {@code subject}. */
  public SubjectKey key(SubjectId subject) {
    byte[] id = subject.value().getBytes(StandardCharsets.UTF_8);
    Session s = session();
    s.key(id, 0, id.length);
    return new SubjectKey(s.high(), s.low());
  }

  /** The keys of {@code subjects}, in order, through one {@link Session}. */
  public List<SubjectKey> keys(List<SubjectId> subjects) {
    Session s = session();
    List<SubjectKey> out = new ArrayList<>(subjects.size());
    for (SubjectId subject : subjects) {
      byte[] id = subject.value().getBytes(StandardCharsets.UTF_8);
      s.key(id, 0, id.length);
      out.add(new SubjectKey(s.high(), s.low()));
    }
    return out;
  }

  /** A session for keying many identifiers on one thread without allocating per identifier. */
  public Session session() {
    return new Session();
  }

  /**
   * The key check value: 128 bits of HMAC-SHA256 under the host's key of a fixed label, in
   * hexadecimal. A database stores it and refuses any other key ({@link ConsentLedger#open}); it
   * tells keys apart without revealing anything about the key (the host key is at least 128
   * random bits, so it cannot be searched for from this value).
   */
  public String checkValue() {
    return checkValue;
  }

  /** The non-secret name of the key the ledger keys are derived from. */
  public String keyId() {
    return keyId;
  }

  @Override
  public String toString() {
    return "SubjectKeyer[" + scheme.label() + ", key " + keyId + "]";
  }

  /** Reusable hash state of one thread. Not thread-safe. */
  public final class Session {
    private final SipHash high;
    private final SipHash low;
    private final SipHash128 both;
    private final byte[] out = new byte[16];
    private final ByteBuffer outWords = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    private long lastHigh;
    private long lastLow;

    private Session() {
      if (scheme == Scheme.V1) {
        high = new SipHash(2, 4);
        low = new SipHash(2, 4);
        high.init(new KeyParameter(v1High));
        low.init(new KeyParameter(v1Low));
        both = null;
      } else {
        high = null;
        low = null;
        both = new SipHash128(2, 4);
        both.init(new KeyParameter(v2));
      }
    }

    /** Keys the UTF-8 identifier in {@code data[offset, offset + length)}; see {@link #high}. */
    public void key(byte[] data, int offset, int length) {
      if (both == null) {
        high.update(data, offset, length);
        lastHigh = high.doFinal();
        low.update(data, offset, length);
        lastLow = low.doFinal();
      } else {
        both.update(data, offset, length);
        both.doFinal(out, 0);
        lastHigh = outWords.getLong(0);
        lastLow = outWords.getLong(8);
      }
    }

    /** The high 64 bits of the last identifier's key. */
    public long high() {
      return lastHigh;
    }

    /** The low 64 bits of the last identifier's key. */
    public long low() {
      return lastLow;
    }

    @Override
    public String toString() {
      return "SubjectKeyer.Session[" + scheme.label() + ", key " + keyId + "]";
    }
  }
}
