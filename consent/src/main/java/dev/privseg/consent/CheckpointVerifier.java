package dev.privseg.consent;

import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.Verification;
import dev.privseg.consent.rights.MembershipRegistry;
import dev.privseg.consent.rights.RegisteredRun;
import dev.privseg.consent.store.LedgerStore;
import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * Checks a consent database against {@link SignedCheckpoint checkpoints} with the controller's
 * public key: what an auditor runs. Needs no secret. Thread-safe.
 *
 * <pre>{@code
 * CheckpointVerifier verifier = CheckpointVerifier.load(Path.of("checkpoint-key.pub.pem"));
 * CheckpointCheck check = verifier.check(SignedCheckpoint.read(Path.of("checkpoint.json")),
 *     db.store(), db.memberships());
 * }</pre>
 */
public final class CheckpointVerifier {
  private final Ed25519PublicKeyParameters key;
  private final String keyId;

  private CheckpointVerifier(Ed25519PublicKeyParameters key) {
    this.key = key;
    this.keyId = CheckpointKeys.keyId(key.getEncoded());
  }

  /**
   * The verifier of the Ed25519 public key in {@code publicKeyFile} (X.509 PEM, as {@code
   * openssl pkey -pubout} or {@link CheckpointSigner#generateKeys} writes it).
   *
   * @throws ConfigurationException if there is no such file, or it holds no Ed25519 public key
   */
  public static CheckpointVerifier load(Path publicKeyFile) {
    Checks.notNull(publicKeyFile, "publicKeyFile");
    byte[] der = CheckpointKeys.readPem(publicKeyFile, CheckpointSigner.PUBLIC_PEM,
        "public key");
    AsymmetricKeyParameter key;
    try {
      key = PublicKeyFactory.createKey(der);
    } catch (IOException | RuntimeException e) {
      key = null;
    }
    if (!(key instanceof Ed25519PublicKeyParameters ed)) {
      throw new ConfigurationException("public key file " + publicKeyFile + " does not hold an "
          + "Ed25519 public key: checkpoints are signed with Ed25519");
    }
    return new CheckpointVerifier(ed);
  }

  /** The id of this verifier's key, as {@link CheckpointSigner#keyId()} gives it. */
  public String keyId() {
    return keyId;
  }

  /**
   * Whether {@code checkpoint} is exactly as this key's holder signed it.
   *
   * @throws ConfigurationException if it names another key: it was signed by another one
   */
  public boolean signatureHolds(SignedCheckpoint checkpoint) {
    Checks.notNull(checkpoint, "checkpoint");
    if (!checkpoint.keyId().equals(keyId)) {
      throw new ConfigurationException("the checkpoint was signed with key " + checkpoint.keyId()
          + ", not with this public key (" + keyId + "): give the public key it names");
    }
    byte[] message = checkpoint.signedBytes();
    byte[] signature = checkpoint.signatureBytes();
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, key);
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(signature);
  }

  /**
   * Checks the ledger in {@code store} and the runs in {@code registry} against
   * {@code checkpoint}: the ledger must still hold the checkpoint's head with its hash and an
   * intact chain up to it and after (so no event was removed from the end, and nothing up to it
   * rewritten, with hashes recomputed or not); each run the checkpoint sealed and still
   * registered must have the digest sealed. Read only.
   *
   * @throws ConfigurationException if the checkpoint names another key
   * @throws ConsentException if its signature does not hold: it was altered after signing, and
   *     proves nothing
   */
  public CheckpointCheck check(SignedCheckpoint checkpoint, LedgerStore store,
      MembershipRegistry registry) {
    Checks.notNull(store, "store");
    Checks.notNull(registry, "registry");
    if (!signatureHolds(checkpoint)) {
      throw new ConsentException("the checkpoint's signature does not hold under key " + keyId
          + ": it was altered after it was signed, and proves nothing about the ledger");
    }
    Verification ledger = ConsentLedger.verify(store, checkpoint.ledgerHead().orElse(null));
    Map<String, Optional<String>> now = new HashMap<>();
    for (RegisteredRun run : registry.runs()) {
      now.put(run.runId(), run.recordDigest());
    }
    List<String> rewritten = new ArrayList<>();
    List<String> forgotten = new ArrayList<>();
    checkpoint.runs().forEach((runId, digest) -> {
      Optional<String> held = now.get(runId);
      if (held == null) {
        forgotten.add(runId);
      } else if (!held.orElse("").equals(digest)) {
        rewritten.add(runId);
      }
    });
    String problem = !ledger.intact() ? "the ledger is broken at event "
        + ledger.firstBrokenSequence() + ": " + ledger.problem()
        : rewritten.isEmpty() ? "" : rewritten.size() + " run(s) no longer have the record "
            + "digest the checkpoint sealed: their registration was rewritten ("
            + String.join(", ", rewritten) + ")";
    return new CheckpointCheck(problem.isEmpty(), problem, ledger, rewritten, forgotten);
  }

  /** Names the key by its id. */
  @Override
  public String toString() {
    return "CheckpointVerifier[key " + keyId + "]";
  }
}
