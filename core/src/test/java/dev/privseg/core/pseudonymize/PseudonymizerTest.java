package dev.privseg.core.pseudonymize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.SubjectId;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Map;
import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PseudonymizerTest {
  // Test-only key material, generated per run.
  private static final byte[] KEY = randomKey();

  private static byte[] randomKey() {
    byte[] k = new byte[32];
    new java.security.SecureRandom().nextBytes(k);
    return k;
  }

  private static Map<String, String> env(byte[] key) {
    return Map.of("PRIVSEG_TEST_KEY", Base64.getEncoder().encodeToString(key));
  }

  @Test
  void hmacPseudonymIsTheBase64urlTagOfTheIdentifier() throws Exception {
    Pseudonymizer p = Pseudonymizer.hmacSha256(KeyProvider.fromEnvironment("PRIVSEG_TEST_KEY",
        env(KEY)));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
    String expected = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(mac.doFinal("C000042".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

    assertThat(p.pseudonymize(SubjectId.of("C000042")).value()).isEqualTo(expected).hasSize(43);
    assertThat(p.description()).isEqualTo("HMAC-SHA256");
    assertThat(p.keyId()).isEqualTo("env:PRIVSEG_TEST_KEY");
  }

  @Test
  void sameKeySamePseudonymOtherKeyOtherPseudonym() {
    Pseudonymizer a = Pseudonymizer.hmacSha256(KeyProvider.ephemeral());
    Pseudonymizer b = Pseudonymizer.hmacSha256(KeyProvider.ephemeral());
    SubjectId id = SubjectId.of("alice@example.com");

    assertThat(a.pseudonymize(id)).isEqualTo(a.pseudonymize(id));
    assertThat(a.pseudonymize(id)).isNotEqualTo(b.pseudonymize(id));
  }

  @Test
  void environmentKeyErrorsNameTheVariableNotTheKey() {
    assertThatThrownBy(() -> KeyProvider.fromEnvironment("NOPE", Map.of()))
        .isInstanceOf(KeyException.class).hasMessage("environment variable NOPE is not set");
    assertThatThrownBy(() -> KeyProvider.fromEnvironment("K", Map.of("K", "not base64!")))
        .isInstanceOf(KeyException.class).hasMessage("environment variable K is not valid Base64");
    String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
    assertThatThrownBy(() -> KeyProvider.fromEnvironment("K", Map.of("K", shortKey)))
        .isInstanceOf(KeyException.class)
        .hasMessage("key in environment variable K has 16 bytes; at least 32 are required")
        .hasMessageNotContaining(shortKey);
  }

  @Test
  void keyStoreSecretKeyEntryGivesTheSamePseudonymsAsTheRawKey(@TempDir Path dir)
      throws Exception {
    SecretKey secret = new SecretKeySpec(KEY, "HmacSHA256");
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    char[] password = "test-only-password".toCharArray();
    store.setEntry("pseudonyms", new KeyStore.SecretKeyEntry(secret),
        new KeyStore.PasswordProtection(password));
    Path file = dir.resolve("keys.p12");
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password);
    }

    KeyProvider fromStore = KeyProvider.fromKeyStore(file, password, "pseudonyms");
    KeyProvider fromEnv = KeyProvider.fromEnvironment("PRIVSEG_TEST_KEY", env(KEY));
    SubjectId id = SubjectId.of("C1");

    assertThat(Pseudonymizer.hmacSha256(fromStore).pseudonymize(id))
        .isEqualTo(Pseudonymizer.hmacSha256(fromEnv).pseudonymize(id));
    assertThat(fromStore.keyId()).isEqualTo("keystore:pseudonyms");
    assertThatThrownBy(() -> KeyProvider.fromKeyStore(file, password, "other"))
        .isInstanceOf(KeyException.class).hasMessageContaining("alias 'other'");
    assertThatThrownBy(() -> KeyProvider.fromKeyStore(file, "wrong".toCharArray(), "pseudonyms"))
        .isInstanceOf(KeyException.class).hasMessageContaining("keys.p12");
  }

  @Test
  void pseudonymizingIsThreadSafe() throws Exception {
    Pseudonymizer p = Pseudonymizer.hmacSha256(KeyProvider.ephemeral());
    String expected = p.pseudonymize(SubjectId.of("x")).value();
    java.util.List<Thread> threads = new java.util.ArrayList<>();
    java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 5_000; i++) {
          if (!p.pseudonymize(SubjectId.of("x")).value().equals(expected)) {
            wrong.incrementAndGet();
          }
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(wrong.get()).isZero();
  }

  @Test
  void identifiersPseudonymsAndProvidersHaveRedactedToString() throws Exception {
    KeyGenerator g = KeyGenerator.getInstance("HmacSHA256");
    assertThat(g).isNotNull();
    assertThat(SubjectId.of("alice@example.com").toString()).isEqualTo("SubjectId[redacted]");
    Pseudonymizer p = Pseudonymizer.hmacSha256(KeyProvider.ephemeral());
    assertThat(p.pseudonymize(SubjectId.of("a")).toString()).isEqualTo("Pseudonym[redacted]");
    assertThat(KeyProvider.ephemeral().toString()).isEqualTo("KeyProvider[ephemeral]");
  }

  /** A provider as a host makes one, of a key it holds ({@code raw}, from its KMS say). */
  private static KeyProvider custom(byte[] raw) {
    return KeyProvider.of(new SecretKeySpec(raw, "HmacSHA256"), "host-kms:v3");
  }

  @Test
  void aShortKeyFromTheHostIsRefusedWhenItsProviderIsMade() {
    byte[] fifteen = java.util.Arrays.copyOf(randomKey(), 15);
    assertThatThrownBy(() -> Pseudonymizer.hmacSha256(custom(fifteen)))
        .isInstanceOf(KeyException.class)
        .hasMessage("key host-kms:v3 has 120 bits; at least 128 are required");
    assertThatThrownBy(() -> Pseudonymizer.hmacSha256(custom(new byte[] {7})))
        .isInstanceOf(KeyException.class).hasMessageContaining("has 8 bits");
    assertThat(Pseudonymizer.hmacSha256(custom(java.util.Arrays.copyOf(randomKey(), 16)))
        .pseudonymize(SubjectId.of("C1")).value()).hasSize(43);
  }

  @Test
  void keysWithoutEntropyAreRefusedWhenTheirProviderIsMade() {
    byte[] aaaa = new byte[32];
    java.util.Arrays.fill(aaaa, (byte) 'a');
    byte[] pattern = new byte[32];
    for (int i = 0; i < pattern.length; i++) {
      pattern[i] = (byte) (i % 4);
    }
    for (byte[] weak : new byte[][] {new byte[32], pattern}) {
      assertThatThrownBy(() -> Pseudonymizer.hmacSha256(custom(weak)))
          .isInstanceOf(KeyException.class)
          .hasMessageContaining("repeats too few byte values to be random");
    }
    byte[] password = "correct horse battery staple 123".getBytes(
        java.nio.charset.StandardCharsets.US_ASCII);
    for (byte[] text : new byte[][] {aaaa, password}) {
      assertThatThrownBy(() -> Pseudonymizer.hmacSha256(custom(text)))
          .isInstanceOf(KeyException.class)
          .hasMessageContaining("is printable text, not random key material")
          .hasMessageNotContaining("horse");
    }
    // The built-in sources make their providers through the same check.
    assertThatThrownBy(() -> Pseudonymizer.hmacSha256(KeyProvider.fromEnvironment(
        "PRIVSEG_TEST_KEY", env(new byte[32]))))
        .isInstanceOf(KeyException.class).hasMessageContaining("too few byte values");
  }

  @Test
  void aKeyThatNeverLeavesItsHardwareIsUsedThroughTheHostsMacAndNamedInErrors() {
    javax.crypto.SecretKey inHsm = new SecretKeySpec(randomKey(), "HmacSHA256");
    KeyProvider hsm = KeyProvider.external("hsm:slot-1/pseudonyms",
        () -> mac("HmacSHA256", inHsm));
    // The same pseudonyms as the key itself would give.
    assertThat(Pseudonymizer.hmacSha256(hsm).pseudonymize(SubjectId.of("C1")))
        .isEqualTo(Pseudonymizer.hmacSha256(KeyProvider.of(inHsm, "raw"))
            .pseudonymize(SubjectId.of("C1")));
    assertThatThrownBy(() -> KeyProvider.external("hsm:slot-2", () -> mac("HmacSHA1", inHsm)))
        .isInstanceOf(KeyException.class)
        .hasMessage("key hsm:slot-2 must make HMAC-SHA256 instances but made HmacSHA1");
    assertThatThrownBy(() -> KeyProvider.external("hsm:slot-3", () -> {
      throw new IllegalStateException("token not logged in");
    })).isInstanceOf(KeyException.class)
        .hasMessage("key hsm:slot-3 could not make an HMAC-SHA256 instance: "
            + "IllegalStateException");
  }

  /** A {@code algorithm} instance initialized with {@code key}, as an HSM's provider makes one. */
  private static Mac mac(String algorithm, javax.crypto.SecretKey key) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(key);
      return mac;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Random keys of every accepted length pass: the check refuses no key a generator makes. */
  @net.jqwik.api.Property(tries = 500)
  void randomKeysAreAccepted(@net.jqwik.api.ForAll
      @net.jqwik.api.constraints.IntRange(min = 16, max = 128) int bytes) {
    byte[] k = new byte[bytes];
    new java.security.SecureRandom().nextBytes(k);
    assertThat(StrongKeys.check(new SecretKeySpec(k, "HmacSHA256"), "random")).isNotNull();
  }
}
