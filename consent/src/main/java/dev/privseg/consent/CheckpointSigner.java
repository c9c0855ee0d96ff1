package dev.privseg.consent;

import dev.privseg.consent.ledger.Checkpoint;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.Verification;
import dev.privseg.consent.rights.MembershipRegistry;
import dev.privseg.consent.rights.RegisteredRun;
import dev.privseg.consent.store.LedgerStore;
import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/**
 * Signs {@link SignedCheckpoint checkpoints} of a consent database with the controller's Ed25519
 * private key (Bouncy Castle's implementation; keys in the PEM files OpenSSL writes, so {@code
 * openssl genpkey -algorithm ed25519 -out checkpoint-key.pem} makes one too). The key stays in
 * this object: it is never logged, printed or returned. Thread-safe.
 *
 * <pre>{@code
 * CheckpointSigner signer = CheckpointSigner.load(Path.of("checkpoint-key.pem"));
 * signer.sign(db.store(), db.memberships(), Instant.now()).write(Path.of("checkpoint.json"));
 * }</pre>
 */
public final class CheckpointSigner {
  static final String PRIVATE_PEM = "PRIVATE KEY";
  static final String PUBLIC_PEM = "PUBLIC KEY";

  private final Ed25519PrivateKeyParameters key;
  private final String keyId;

  private CheckpointSigner(Ed25519PrivateKeyParameters key) {
    this.key = key;
    this.keyId = CheckpointKeys.keyId(key.generatePublicKey().getEncoded());
  }

  /**
   * Makes a new key pair and writes it: the private key (PKCS#8 PEM) readable by its owner only
   * where the file system has POSIX permissions, the public key (X.509 PEM) for auditors.
   * Replaces neither file.
   *
   * @throws ConfigurationException if either file exists already
   */
  public static void generateKeys(Path privateKeyFile, Path publicKeyFile) {
    Checks.notNull(privateKeyFile, "privateKeyFile");
    Checks.notNull(publicKeyFile, "publicKeyFile");
    for (Path p : new Path[] {privateKeyFile, publicKeyFile}) {
      if (Files.exists(p)) {
        throw new ConfigurationException("key file " + p + " already exists: keys are never "
            + "overwritten; choose a new file");
      }
    }
    Ed25519KeyPairGenerator generator = new Ed25519KeyPairGenerator();
    generator.init(new Ed25519KeyGenerationParameters(new SecureRandom()));
    AsymmetricCipherKeyPair pair = generator.generateKeyPair();
    try {
      String privatePem = CheckpointKeys.pem(PRIVATE_PEM,
          PrivateKeyInfoFactory.createPrivateKeyInfo(pair.getPrivate()).getEncoded());
      String publicPem = CheckpointKeys.pem(PUBLIC_PEM,
          SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(pair.getPublic()).getEncoded());
      if (privateKeyFile.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(privateKeyFile, PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------")));
        Files.writeString(privateKeyFile, privatePem, StandardCharsets.US_ASCII,
            StandardOpenOption.TRUNCATE_EXISTING);
      } else {
        Files.writeString(privateKeyFile, privatePem, StandardCharsets.US_ASCII,
            StandardOpenOption.CREATE_NEW);
      }
      Files.writeString(publicKeyFile, publicPem, StandardCharsets.US_ASCII,
          StandardOpenOption.CREATE_NEW);
    } catch (FileAlreadyExistsException e) {
      throw new ConfigurationException("key file " + e.getFile() + " already exists: keys are "
          + "never overwritten; choose a new file", e);
    } catch (IOException e) {
      throw new UncheckedIOException("writing checkpoint keys", e);
    }
  }

  /**
   * The signer of the Ed25519 private key in {@code privateKeyFile} (PKCS#8 PEM).
   *
   * @throws ConfigurationException if there is no such file, or it holds no Ed25519 private key
   */
  public static CheckpointSigner load(Path privateKeyFile) {
    Checks.notNull(privateKeyFile, "privateKeyFile");
    byte[] der = CheckpointKeys.readPem(privateKeyFile, PRIVATE_PEM, "private key");
    AsymmetricKeyParameter key;
    try {
      key = PrivateKeyFactory.createKey(der);
    } catch (IOException | RuntimeException e) {
      key = null;
    }
    if (!(key instanceof Ed25519PrivateKeyParameters ed)) {
      throw new ConfigurationException("private key file " + privateKeyFile + " does not hold "
          + "an Ed25519 private key: checkpoints are signed with Ed25519");
    }
    return new CheckpointSigner(ed);
  }

  /**
   * The id of this signer's key: the first 16 hexadecimal digits of the SHA-256 of its raw
   * public key. A checkpoint names it, so a verifier holding another key says so.
   */
  public String keyId() {
    return keyId;
  }

  /**
   * Checks the ledger's hash chain in {@code store} and signs a checkpoint of its head and of
   * the record digest of every run in {@code registry}, issued {@code at}.
   *
   * @throws ConsentException if the chain is broken: a checkpoint would seal the damage
   */
  public SignedCheckpoint sign(LedgerStore store, MembershipRegistry registry, Instant at) {
    Checks.notNull(store, "store");
    Checks.notNull(registry, "registry");
    Checks.notNull(at, "at");
    Verification v = ConsentLedger.verify(store);
    if (!v.intact()) {
      throw new ConsentException("the consent ledger in " + store.description() + " is broken "
          + "at event " + v.firstBrokenSequence() + " (" + v.problem() + "): a checkpoint "
          + "would seal the damage; nothing was signed");
    }
    SortedMap<String, String> runs = new TreeMap<>();
    for (RegisteredRun run : registry.runs()) {
      runs.put(run.runId(), run.recordDigest().orElse(""));
    }
    Optional<Checkpoint> head = v.head();
    byte[] message = SignedCheckpoint.signedBytes(at, head, runs, keyId);
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, key);
    signer.update(message, 0, message.length);
    return new SignedCheckpoint(at, head, runs, keyId,
        Base64.getEncoder().encodeToString(signer.generateSignature()));
  }

  /** Names the key by its id only. */
  @Override
  public String toString() {
    return "CheckpointSigner[key " + keyId + "]";
  }
}
