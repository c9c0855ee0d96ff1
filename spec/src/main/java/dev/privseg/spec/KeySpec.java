package dev.privseg.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.privseg.consent.directory.DirectoryPseudonymizer;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.core.Checks;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the pseudonymization key comes from: the kind is the key it sets (Jackson deduces the
 * record from it), so two sources, or none, cannot be written.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION)
@JsonSubTypes({
    @JsonSubTypes.Type(value = KeySpec.EnvKey.class),
    @JsonSubTypes.Type(value = KeySpec.KeystoreKey.class),
    @JsonSubTypes.Type(value = KeySpec.EphemeralKey.class),
    @JsonSubTypes.Type(value = KeySpec.DirectoryKey.class)})
sealed interface KeySpec permits
    KeySpec.EnvKey,
    KeySpec.KeystoreKey,
    KeySpec.EphemeralKey,
    KeySpec.DirectoryKey {
  /** The pseudonymizer this key source gives, from what the spec's reader holds. */
  Pseudonymizer pseudonymizer(KeyContext context);

  /** What a key source needs from the spec's reader. */
  interface KeyContext {
    /** The environment variables keys and passwords are read from. */
    Map<String, String> environment();

    /** A path of the spec, resolved against the spec's directory. */
    Path resolve(String path);

    /** The spec's consent ledger, or null without one. */
    ConsentLedger ledger();
  }

  /** A Base64 key in an environment variable. @param env the variable */
  record EnvKey(String env) implements KeySpec {
    @Override
    public Pseudonymizer pseudonymizer(KeyContext context) {
      return Pseudonymizer.hmacSha256(KeyProvider.fromEnvironment(
          Checks.notNull(env, "spec: pseudonymize.key.env"), context.environment()));
    }
  }

  /**
   * A key in a PKCS#12 (or .jceks) key store.
   *
   * @param keystore the file, relative to the spec
   * @param alias the secret key's alias
   * @param passwordEnv the environment variable holding the key store's password
   */
  record KeystoreKey(String keystore, String alias, String passwordEnv) implements KeySpec {
    @Override
    public Pseudonymizer pseudonymizer(KeyContext context) {
      String file = Checks.notNull(keystore, "spec: pseudonymize.key.keystore");
      String variable = Checks.notNull(passwordEnv, "spec: pseudonymize.key.passwordEnv");
      String password = context.environment().get(variable);
      Checks.check(password != null, "environment variable %s (key store password) is not set",
          variable);
      return Pseudonymizer.hmacSha256(KeyProvider.fromKeyStore(context.resolve(file),
          password.toCharArray(), Checks.notNull(alias, "spec: pseudonymize.key.alias")));
    }
  }

  /**
   * A random key that lives only for the run (pseudonyms cannot be re-linked afterwards).
   *
   * @param ephemeral true
   */
  record EphemeralKey(Boolean ephemeral) implements KeySpec {
    @Override
    public Pseudonymizer pseudonymizer(KeyContext context) {
      Checks.check(Boolean.TRUE.equals(ephemeral), "spec: pseudonymize.key.ephemeral must be "
          + "true (or give another key source)");
      return Pseudonymizer.hmacSha256(KeyProvider.ephemeral());
    }
  }

  /**
   * The consent ledger's random per-subject pseudonyms, which erasure can forget.
   *
   * @param directory true
   */
  record DirectoryKey(Boolean directory) implements KeySpec {
    @Override
    public Pseudonymizer pseudonymizer(KeyContext context) {
      Checks.check(Boolean.TRUE.equals(directory), "spec: pseudonymize.key.directory must be "
          + "true (or give another key source)");
      Checks.check(context.ledger() != null,
          "spec: pseudonymize.key.directory needs lawfulBasis.ledger");
      return DirectoryPseudonymizer.of(context.ledger());
    }
  }
}
