package dev.privseg.consent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.privseg.consent.ledger.Checkpoint;
import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What the consent database held at one instant, signed by the controller's key: the head of the
 * ledger's hash chain and the {@link dev.privseg.core.report.ProcessingRecord#digest() record
 * digest} of every registered run. Kept outside the database (by an auditor, the DPO, a
 * write-once store), it outlives whoever can write the tables: anyone who rewrites the ledger
 * and recomputes its unkeyed hashes, or removes its last events, or rewrites a run's
 * registration, is found out by {@link CheckpointVerifier#check}; and nobody without the private
 * key can make a checkpoint for a rewritten ledger. Made by {@link CheckpointSigner#sign}; written
 * and read as a small JSON file ({@link #toJson()}, {@link #read(Path)}), with a run's digest
 * equal to what {@code sha256sum record.json} prints for its record file.
 *
 * @param issuedAt when it was signed
 * @param ledgerHead the ledger's last event then; empty for a ledger without events
 * @param runs the record digest of each run registered then, by run id; a run registered before
 *     the database kept digests (consent schema version 17) maps to {@code ""}
 * @param keyId the signing key's id ({@link CheckpointSigner#keyId()})
 * @param signature the Ed25519 signature of everything above, in Base64
 * @param timestamp an RFC 3161 time-stamp token over the signature, DER in Base64, from a
 *     time-stamping authority ({@link CheckpointTimestamps}); "" if none. Not covered by the
 *     signature: the token is itself signed, by the authority
 */
public record SignedCheckpoint(Instant issuedAt, Optional<Checkpoint> ledgerHead,
    SortedMap<String, String> runs, String keyId, String signature, String timestamp) {

  /** The format identifier written into every checkpoint file. */
  public static final String FORMAT = "privseg-checkpoint/1";

  private static final Pattern DIGEST = Pattern.compile("([0-9a-f]{64})?");
  private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{16}");
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /** Validates the checkpoint and copies its runs. */
  public SignedCheckpoint {
    Checks.notNull(issuedAt, "issuedAt");
    Checks.notNull(ledgerHead, "ledgerHead");
    Checks.notNull(runs, "runs");
    runs.forEach((id, digest) -> {
      Checks.notBlank(id, "run id");
      Checks.check(digest != null && DIGEST.matcher(digest).matches(),
          "a run's record digest must be 64 lower-case hexadecimal digits or empty");
    });
    runs = Collections.unmodifiableSortedMap(new TreeMap<>(runs));
    Checks.check(keyId != null && KEY_ID.matcher(keyId).matches(),
        "a checkpoint's key id must be 16 lower-case hexadecimal digits");
    Checks.notBlank(signature, "signature");
    Checks.notNull(timestamp, "timestamp");
  }

  /** A checkpoint without a time-stamp token. */
  public SignedCheckpoint(Instant issuedAt, Optional<Checkpoint> ledgerHead,
      SortedMap<String, String> runs, String keyId, String signature) {
    this(issuedAt, ledgerHead, runs, keyId, signature, "");
  }

  /** This checkpoint with time-stamp token {@code token} (DER, Base64). */
  public SignedCheckpoint withTimestamp(String token) {
    return new SignedCheckpoint(issuedAt, ledgerHead, runs, keyId, signature,
        Checks.notBlank(token, "token"));
  }

  /** This checkpoint as JSON, the form {@link #read} and {@link #parse} read. */
  public String toJson() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(form(signature)) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a checkpoint is strings only", e);
    }
  }

  /** Writes this checkpoint to {@code file}, refusing to replace an existing file. */
  public void write(Path file) {
    Checks.notNull(file, "file");
    try {
      Files.writeString(file, toJson(), StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE_NEW);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new ConfigurationException("checkpoint file " + file + " already exists: a "
          + "checkpoint is never overwritten; choose a new file", e);
    } catch (IOException e) {
      throw new UncheckedIOException("writing checkpoint file " + file, e);
    }
  }

  /**
   * Reads a checkpoint file.
   *
   * @throws ConfigurationException if there is no such file or it is not a privseg checkpoint
   */
  public static SignedCheckpoint read(Path file) {
    Checks.notNull(file, "file");
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), "checkpoint file " + file);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException("checkpoint file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading checkpoint file " + file, e);
    }
  }

  /**
   * Reads a checkpoint from its JSON form.
   *
   * @throws ConfigurationException if the text is not a privseg checkpoint (not quoted)
   */
  public static SignedCheckpoint parse(String json) {
    return parse(Checks.notNull(json, "json"), "the text");
  }

  private static SignedCheckpoint parse(String json, String what) {
    Form form;
    try {
      form = JSON.readValue(json, Form.class);
    } catch (JsonProcessingException e) {
      throw new ConfigurationException(what + " is not a privseg checkpoint (JSON with format, "
          + "issuedAt, ledgerHead, runs, keyId and signature): " + e.getOriginalMessage(), e);
    }
    if (form == null || !FORMAT.equals(form.format())) {
      throw new ConfigurationException(what + " is not a privseg checkpoint: its format is not "
          + FORMAT);
    }
    try {
      return new SignedCheckpoint(Instant.parse(Checks.notNull(form.issuedAt(), "issuedAt")),
          form.ledgerHead() == null ? Optional.empty()
              : Optional.of(Checkpoint.parse(form.ledgerHead())),
          new TreeMap<>(Checks.notNull(form.runs(), "runs")), form.keyId(), form.signature(),
          form.timestamp() == null ? "" : form.timestamp());
    } catch (DateTimeParseException | IllegalArgumentException | ConfigurationException e) {
      throw new ConfigurationException(what + " is not a valid privseg checkpoint: "
          + e.getMessage(), e);
    }
  }

  /** The bytes the signature covers: this checkpoint's JSON without its signature, compact. */
  static byte[] signedBytes(Instant issuedAt, Optional<Checkpoint> ledgerHead,
      SortedMap<String, String> runs, String keyId) {
    try {
      return JSON.writeValueAsBytes(new Form(FORMAT, issuedAt.toString(),
          ledgerHead.map(Checkpoint::toString).orElse(null), runs, keyId, null, null));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a checkpoint is strings only", e);
    }
  }

  byte[] signedBytes() {
    return signedBytes(issuedAt, ledgerHead, runs, keyId);
  }

  byte[] signatureBytes() {
    try {
      return Base64.getDecoder().decode(signature);
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }

  private Form form(String signature) {
    return new Form(FORMAT, issuedAt.toString(), ledgerHead.map(Checkpoint::toString)
        .orElse(null), runs, keyId, signature, timestamp.isEmpty() ? null : timestamp);
  }

  /** The file's JSON, field by field, in a fixed order. */
  @JsonPropertyOrder({"format", "issuedAt", "ledgerHead", "runs", "keyId", "signature",
      "timestamp"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  private record Form(String format, String issuedAt, String ledgerHead, Map<String, String> runs,
      String keyId, String signature, String timestamp) {}
}
