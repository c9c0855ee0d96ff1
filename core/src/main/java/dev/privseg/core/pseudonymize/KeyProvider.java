package dev.privseg.core.pseudonymize;

import dev.privseg.core.Checks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Supplies the secret key behind pseudonyms. The key is an opaque JCA {@link SecretKey} handle; it
 * is never logged, printed or written to a record, and {@link #keyId()} names it instead.
 *
 * <p>Built-in sources: an environment variable ({@link #fromEnvironment}), a PKCS#12 or JCEKS key
 * store file ({@link #fromKeyStore}), and a fresh random key held only in memory
 * ({@link #ephemeral()}) for tests and demos. Hosts with a KMS implement this interface.
 * Implementations must be thread-safe.
 */
public interface KeyProvider {

  /** The minimum key length accepted for HMAC-SHA256, in bytes (NIST SP 800-107: 32). */
  int MIN_KEY_BYTES = 32;

  /** The key for keyed hashing. */
  SecretKey hmacKey();

  /** A non-secret name of the key (alias, variable name, version) for the processing record. */
  String keyId();

  /**
   * Reads a Base64-encoded key of at least 32 bytes from environment variable {@code variable}.
   * Throws {@link KeyException} naming the variable if it is unset, not Base64 or too short.
   */
  static KeyProvider fromEnvironment(String variable) {
    return fromEnvironment(variable, System.getenv());
  }

  /** As {@link #fromEnvironment(String)}, reading from {@code environment}. */
  static KeyProvider fromEnvironment(String variable, Map<String, String> environment) {
    Checks.notBlank(variable, "environment variable name");
    String encoded = environment.get(variable);
    if (encoded == null || encoded.isBlank()) {
      throw new KeyException("environment variable " + variable + " is not set");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(encoded.strip());
    } catch (IllegalArgumentException e) {
      throw new KeyException("environment variable " + variable + " is not valid Base64");
    }
    if (key.length < MIN_KEY_BYTES) {
      throw new KeyException("key in environment variable " + variable + " has " + key.length
          + " bytes; at least " + MIN_KEY_BYTES + " are required");
    }
    return new FixedKeyProvider(new SecretKeySpec(key, "HmacSHA256"), "env:" + variable);
  }

  /** Loads secret-key entry {@code alias} from a PKCS#12 or JCEKS key store file. */
  static KeyProvider fromKeyStore(Path file, char[] password, String alias) {
    Checks.notNull(file, "key store file");
    Checks.notNull(password, "key store password");
    Checks.notBlank(alias, "key alias");
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance(file.toString().endsWith(".jceks") ? "JCEKS"
          : "PKCS12");
      store.load(in, password);
      Key key = store.getKey(alias, password);
      if (!(key instanceof SecretKey secret)) {
        throw new KeyException("key store has no secret key under alias '" + alias + "'");
      }
      byte[] encoded = secret.getEncoded();
      if (encoded == null || encoded.length < MIN_KEY_BYTES) {
        throw new KeyException("secret key '" + alias + "' is shorter than " + MIN_KEY_BYTES
            + " bytes");
      }
      return new FixedKeyProvider(new SecretKeySpec(encoded, "HmacSHA256"), "keystore:" + alias);
    } catch (IOException | GeneralSecurityException e) {
      throw new KeyException("cannot read secret key '" + alias + "' from key store "
          + file.getFileName() + ": " + e.getClass().getSimpleName(), e);
    }
  }

  /**
   * A fresh random 256-bit key that lives only in this process. Pseudonyms made with it cannot be
   * re-linked after the process ends: right for tests and demos, wrong for production.
   */
  static KeyProvider ephemeral() {
    try {
      KeyGenerator generator = KeyGenerator.getInstance("HmacSHA256");
      generator.init(256);
      return new FixedKeyProvider(generator.generateKey(), "ephemeral");
    } catch (NoSuchAlgorithmException e) {
      throw new KeyException("HmacSHA256 is not available in this JVM", e);
    }
  }
}
