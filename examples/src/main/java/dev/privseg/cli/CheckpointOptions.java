package dev.privseg.cli;

import dev.privseg.consent.CheckpointVerifier;
import dev.privseg.consent.SignedCheckpoint;
import dev.privseg.consent.ledger.Checkpoint;
import dev.privseg.core.ConfigurationException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --checkpoint FILE|SEQ:HASH} and {@code --public-key FILE}: a checkpoint kept outside
 * the consent database, a signed file (checked with the public key) or a bare head.
 */
final class CheckpointOptions {
  @Option(names = "--checkpoint", paramLabel = "FILE|SEQ:HASH", description = "A checkpoint "
      + "file 'privseg consent checkpoint' signed (needs --public-key), or the head an earlier "
      + "verify printed: the ledger must still hold its head event with that hash.")
  String checkpoint;

  @Option(names = "--public-key", paramLabel = "FILE", description = "The controller's "
      + "Ed25519 public key (PEM) that signed the checkpoint file.")
  Path publicKey;

  /** Whether {@code --checkpoint} gives a bare head, {@code SEQ:HASH}. */
  boolean bare() {
    return checkpoint != null && checkpoint.matches("[0-9]{1,18}:[0-9a-f]{64}");
  }

  /** The bare head given, if one was. */
  Optional<Checkpoint> head() {
    return bare() ? Optional.of(Checkpoint.parse(checkpoint)) : Optional.empty();
  }

  /** The public key's verifier, if a checkpoint file was given (and then there must be one). */
  Optional<CheckpointVerifier> verifier() {
    if (checkpoint != null && !bare()) {
      if (publicKey == null) {
        throw new ConfigurationException("a checkpoint file is checked with the public key "
            + "that signed it: give --public-key");
      }
      return Optional.of(CheckpointVerifier.load(publicKey));
    }
    if (publicKey != null) {
      throw new ConfigurationException("--public-key checks a checkpoint file: give it with "
          + "--checkpoint FILE");
    }
    return Optional.empty();
  }

  /** The checkpoint file given, read, if one was. */
  Optional<SignedCheckpoint> signed() {
    return checkpoint == null || bare() ? Optional.empty()
        : Optional.of(SignedCheckpoint.read(Path.of(checkpoint)));
  }

  /**
   * The head to trust: the bare one, or the signed file's once its signature holds.
   *
   * @throws dev.privseg.consent.ConsentException if the file's signature does not hold
   */
  Optional<Checkpoint> trustedHead() {
    Optional<CheckpointVerifier> verifier = verifier();
    if (verifier.isEmpty()) {
      return head();
    }
    SignedCheckpoint s = signed().orElseThrow();
    if (!verifier.get().signatureHolds(s)) {
      throw new dev.privseg.consent.ConsentException("the checkpoint's signature does not hold "
          + "under key " + verifier.get().keyId() + ": it was altered after it was signed, and "
          + "proves nothing about the ledger");
    }
    return s.ledgerHead();
  }
}
