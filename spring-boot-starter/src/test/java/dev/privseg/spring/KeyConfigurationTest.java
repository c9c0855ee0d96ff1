package dev.privseg.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.pseudonymize.KeyException;
import dev.privseg.core.pseudonymize.KeyProvider;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key from a key store ({@code privseg.keys.keystore}) or the environment: the store's
 * password only ever from an environment variable, and each mistake named as itself.
 */
class KeyConfigurationTest {

  private static Path keystore(Path dir, String alias, char[] password) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, password);
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    store.setEntry(alias, new KeyStore.SecretKeyEntry(new SecretKeySpec(key, "HmacSHA256")),
        new KeyStore.PasswordProtection(password));
    Path file = dir.resolve("privseg.p12");
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password);
    }
    return file;
  }

  @Test
  void theKeyComesFromTheKeyStoreWhenOneIsNamed(@TempDir Path dir) throws Exception {
    PrivsegProperties.Key key = new PrivsegProperties.Key();
    key.setKeystore(keystore(dir, "privseg", "s3cret".toCharArray()));
    KeyProvider provider = PrivsegAutoConfiguration.key(key,
        Map.of("PRIVSEG_KEYSTORE_PASSWORD", "s3cret"));
    assertThat(provider.keyId()).isEqualTo("keystore:privseg");

    assertThatThrownBy(() -> PrivsegAutoConfiguration.key(key, Map.of()))
        .isInstanceOf(KeyException.class).hasMessage("environment variable "
            + "PRIVSEG_KEYSTORE_PASSWORD (the password of privseg.keys.keystore) is not set");
    key.setAlias("other");
    assertThatThrownBy(() -> PrivsegAutoConfiguration.key(key,
        Map.of("PRIVSEG_KEYSTORE_PASSWORD", "s3cret"))).isInstanceOf(KeyException.class)
        .hasMessage("key store has no secret key under alias 'other'");
    key.setAlias("privseg");
    assertThatThrownBy(() -> PrivsegAutoConfiguration.key(key,
        Map.of("PRIVSEG_KEYSTORE_PASSWORD", "wrong"))).isInstanceOf(KeyException.class)
        .hasMessageStartingWith("cannot read secret key 'privseg' from key store privseg.p12")
        .message().doesNotContain("wrong");
  }

  @Test
  void withoutAKeyStoreTheKeyComesFromTheEnvironment() {
    PrivsegProperties.Key key = new PrivsegProperties.Key();
    byte[] random = new byte[32];
    new java.security.SecureRandom().nextBytes(random);
    String base64 = java.util.Base64.getEncoder().encodeToString(random);
    assertThat(PrivsegAutoConfiguration.key(key, Map.of("PRIVSEG_KEY", base64)).keyId())
        .isEqualTo("env:PRIVSEG_KEY");
    assertThatThrownBy(() -> PrivsegAutoConfiguration.key(key, Map.of()))
        .isInstanceOf(KeyException.class).hasMessageContaining("PRIVSEG_KEY");
  }
}
