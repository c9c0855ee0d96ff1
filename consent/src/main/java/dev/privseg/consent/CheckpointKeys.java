package dev.privseg.consent;

import dev.privseg.core.ConfigurationException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/** PEM files of checkpoint keys, and key ids; the keys themselves stay in their primitives. */
final class CheckpointKeys {
  private CheckpointKeys() {}

  /** The DER content of the only PEM object of {@code type} in {@code file}. */
  static byte[] readPem(Path file, String type, String what) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException(what + " file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + what + " file " + file, e);
    }
    PemObject pem;
    try (PemReader reader = new PemReader(new StringReader(text))) {
      pem = reader.readPemObject();
    } catch (IOException | RuntimeException e) {
      pem = null;
    }
    if (pem == null || !type.equals(pem.getType())) {
      throw new ConfigurationException(what + " file " + file + " does not hold a PEM '"
          + type + "' (an Ed25519 key as 'openssl genpkey -algorithm ed25519' writes it, or "
          + "'privseg consent checkpoint-keys')");
    }
    return pem.getContent();
  }

  /** {@code der} as PEM text of {@code type}. */
  static String pem(String type, byte[] der) {
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      writer.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new UncheckedIOException("writing PEM to memory", e);
    }
    return out.toString();
  }

  /** The first 16 hexadecimal digits of the SHA-256 of a raw 32-byte Ed25519 public key. */
  static String keyId(byte[] rawPublicKey) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(rawPublicKey),
          0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
