package dev.privseg.consent.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pseudonymize.KeyProvider;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.macs.SipHash128;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

class SubjectKeyerTest {
  static final SecretKey TEST_KEY = new SecretKeySpec(testKeyBytes(), "HmacSHA256");

  /** Test-only, fixed key material: 32 distinct byte values, not text (keys are checked). */
  static byte[] testKeyBytes() {
    byte[] k = new byte[32];
    for (int i = 0; i < k.length; i++) {
      k[i] = (byte) (i * 37 + 11);
    }
    return k;
  }

  static final KeyProvider KEYS = KeyProvider.of(TEST_KEY, "test");

  static final String[] IDS = {"C00000001", "x", "Zoë-Ångström",
      "a-much-longer-identifier-that-spans-several-sipHash-blocks-0123456789"};

  static byte[] derived(String label) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(TEST_KEY);
    return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
  }

  /** The keys as the first version computed them, with Guava's SipHash-2-4. */
  static SubjectKey v1Key(String id) throws Exception {
    ByteBuffer b = ByteBuffer.wrap(derived("privseg-ledger-v1"));
    HashFunction high = Hashing.sipHash24(b.getLong(0), b.getLong(8));
    HashFunction low = Hashing.sipHash24(b.getLong(16), b.getLong(24));
    byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
    return new SubjectKey(high.hashBytes(bytes).asLong(), low.hashBytes(bytes).asLong());
  }

  /** SipHash-2-4-128 under the first 16 bytes derived with label v2. */
  static SubjectKey v2Key(String id) throws Exception {
    SipHash128 mac = new SipHash128(2, 4);
    mac.init(new KeyParameter(java.util.Arrays.copyOf(derived("privseg-ledger-v2"), 16)));
    byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
    mac.update(bytes, 0, bytes.length);
    byte[] out = new byte[16];
    mac.doFinal(out, 0);
    ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    return new SubjectKey(b.getLong(0), b.getLong(8));
  }

  static void check(SubjectKeyer keyer, String id, SubjectKey expected) {
    assertThat(keyer.key(new SubjectId(id))).isEqualTo(expected);
    SubjectKeyer.Session session = keyer.session();
    byte[] padded = ("##" + id + "#").getBytes(StandardCharsets.UTF_8);
    session.key(padded, 2, id.getBytes(StandardCharsets.UTF_8).length);
    assertThat(new SubjectKey(session.high(), session.low())).isEqualTo(expected);
  }

  @Test
  void aWeakKeyIsRefusedBeforeTheKeyerCanUseIt() {
    assertThatThrownBy(() -> SubjectKeyer.from(KeyProvider.of(
        new SecretKeySpec(new byte[32], "HmacSHA256"), "zeros")))
        .isInstanceOf(dev.privseg.core.pseudonymize.KeyException.class)
        .hasMessageContaining("key zeros repeats too few byte values");
  }


  @Test
  void schemeOneKeysAreThoseEarlierLedgersStored() throws Exception {
    SubjectKeyer keyer = SubjectKeyer.from(KEYS).withScheme(SubjectKeyer.Scheme.V1);
    for (String id : IDS) {
      check(keyer, id, v1Key(id));
    }
  }

  @Test
  void schemeTwoIsOneSipHash128CallAndTheDefault() throws Exception {
    SubjectKeyer keyer = SubjectKeyer.from(KEYS);
    assertThat(keyer.scheme()).isEqualTo(SubjectKeyer.Scheme.V2);
    for (String id : IDS) {
      check(keyer, id, v2Key(id));
      assertThat(v2Key(id)).isNotEqualTo(v1Key(id));
    }
    assertThat(keyer.toString()).doesNotContain("test-only").contains("privseg-ledger-v2");
    assertThatThrownBy(() -> SubjectKeyer.Scheme.of("privseg-ledger-v9"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("unknown subject key scheme 'privseg-ledger-v9'");
  }

  @Test
  void aLedgerAdoptsTheSchemeItsStoreRecorded() {
    dev.privseg.consent.store.InMemoryLedgerStore store =
        new dev.privseg.consent.store.InMemoryLedgerStore();
    ConsentLedger first = ConsentLedger.open(store,
        SubjectKeyer.from(KEYS).withScheme(SubjectKeyer.Scheme.V1));
    assertThat(first.keyer().scheme()).isEqualTo(SubjectKeyer.Scheme.V1);
    // A later ledger over the same store keeps v1 whatever keyer it is given.
    assertThat(ConsentLedger.open(store, SubjectKeyer.from(KEYS)).keyer().scheme())
        .isEqualTo(SubjectKeyer.Scheme.V1);
    assertThat(ConsentLedger.inMemory(SubjectKeyer.from(KEYS)).keyer().scheme())
        .isEqualTo(SubjectKeyer.Scheme.V2);
  }
}
