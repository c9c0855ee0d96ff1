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
import java.util.function.Supplier;
import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret key behind pseudonyms and the ledger's subject keys, held inside its primitive: a
 * provider hands out initialized HMAC-SHA256 instances ({@link #newHmacSha256()}), never the key.
 * The key is never logged, printed or written to a record; {@link #keyId()} names it instead.
 *
 * <p>Sources: an environment variable ({@link #fromEnvironment}), a PKCS#12 or JCEKS key store
 * file ({@link #fromKeyStore}), a key the host already holds, e.g. a data key from its KMS
 * ({@link #of}), a fresh random key held only in memory ({@link #ephemeral()}) for tests and
 * demos, and a key that never leaves an HSM or KMS ({@link #external}). Every key privseg can see
 * is checked when the provider is made ({@link StrongKeys}): at least 128 bits, not printable
 * text, not a repeated byte or short pattern. A provider is immutable and thread-safe.
 */
public sealed interface KeyProvider permits FixedKeyProvider, ExternalKeyProvider {

  /** The minimum key length accepted for HMAC-SHA256, in bytes (NIST SP 800-107: 32). */
  int MIN_KEY_BYTES = 32;

  /**
   * A new HMAC-SHA256 instance initialized with the key. A {@link Mac} is not thread-safe: ask
   * for one per thread.
   *
   * @throws KeyException if the key cannot be used for HMAC-SHA256
   */
  Mac newHmacSha256();

  /** A non-secret name of the key (alias, variable name, version) for the processing record. */
  String keyId();

  /**
   * A provider of {@code key}, which the host already holds (a data key its KMS decrypted, say).
   *
   * @param key the key; its raw bytes must be exportable, so that they can be checked
   * @param keyId the key's non-secret name for the record, e.g. {@code "kms:crm-pseudonyms/v3"}
   * @throws KeyException naming {@code keyId} if the key is weak or the JCA refuses it for
   *     HMAC-SHA256
   */
  static KeyProvider of(SecretKey key, String keyId) {
    Checks.notBlank(keyId, "key id");
    return new FixedKeyProvider(StrongKeys.check(key, keyId), keyId);
  }

  /**
   * A provider of a key that never leaves its hardware or service: {@code macs} makes HMAC-SHA256
   * instances initialized with it (a PKCS#11 provider's, say). privseg cannot see such a key, so
   * it cannot check its strength: the host vouches for it.
   *
   * @param keyId the key's non-secret name for the record
   * @param macs makes a new, initialized HMAC-SHA256 {@link Mac} on each call
   * @throws KeyException naming {@code keyId} if {@code macs} fails or makes another algorithm
   */
  static KeyProvider external(String keyId, Supplier<Mac> macs) {
    Checks.notBlank(keyId, "key id");
    return new ExternalKeyProvider(keyId, Checks.notNull(macs, "HMAC-SHA256 supplier"));
  }

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
    try {
      return of(new SecretKeySpec(key, "HmacSHA256"), "env:" + variable);
    } finally {
      java.util.Arrays.fill(key, (byte) 0);
    }
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
      try {
        return of(new SecretKeySpec(encoded, "HmacSHA256"), "keystore:" + alias);
      } finally {
        java.util.Arrays.fill(encoded, (byte) 0);
      }
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
      return of(generator.generateKey(), "ephemeral");
    } catch (NoSuchAlgorithmException e) {
      throw new KeyException("HmacSHA256 is not available in this JVM", e);
    }
  }
}
