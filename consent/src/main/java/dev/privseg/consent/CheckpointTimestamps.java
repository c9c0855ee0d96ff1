package dev.privseg.consent;

import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * RFC 3161 time stamps of {@link SignedCheckpoint signed checkpoints}: a time-stamping authority
 * (TSA) countersigns the checkpoint's signature with the time it saw it, so that even the
 * controller, who holds the signing key, cannot later make a checkpoint that claims an earlier
 * date. Bouncy Castle builds the requests and checks the tokens (add
 * {@code org.bouncycastle:bcpkix-jdk18on}); requests go over HTTP as RFC 3161 describes.
 *
 * <pre>{@code
 * SignedCheckpoint stamped = CheckpointTimestamps.request(signed, URI.create(tsaUrl),
 *     Duration.ofSeconds(30));
 * Instant when = CheckpointTimestamps.verify(stamped, Path.of("tsa.pem"));
 * }</pre>
 */
public final class CheckpointTimestamps {
  private static final SecureRandom RANDOM = new SecureRandom();

  private CheckpointTimestamps() {}

  /**
   * Asks the TSA at {@code tsa} to time-stamp {@code checkpoint}'s signature and returns the
   * checkpoint with the token, after checking that the answer is a granted token for this very
   * request (its nonce and message imprint).
   *
   * @throws ConsentException if the TSA cannot be reached, refuses, or answers something else
   */
  public static SignedCheckpoint request(SignedCheckpoint checkpoint, URI tsa, Duration timeout) {
    requireBouncyCastlePkix();
    Checks.notNull(checkpoint, "checkpoint");
    Checks.notNull(tsa, "tsa");
    Checks.notNull(timeout, "timeout");
    TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
    generator.setCertReq(true);
    TimeStampRequest request = generator.generate(TSPAlgorithms.SHA256,
        imprint(checkpoint), new BigInteger(64, RANDOM));
    byte[] answer;
    try {
      HttpResponse<byte[]> response = HttpClient.newBuilder().connectTimeout(timeout).build()
          .send(HttpRequest.newBuilder(tsa).timeout(timeout)
              .header("Content-Type", "application/timestamp-query")
              .POST(HttpRequest.BodyPublishers.ofByteArray(request.getEncoded())).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new ConsentException("the time-stamping authority at " + tsa + " answered HTTP "
            + response.statusCode());
      }
      answer = response.body();
    } catch (IOException e) {
      throw new ConsentException("the time-stamping authority at " + tsa + " could not be "
          + "reached: " + (e.getMessage() == null ? e.getClass().getSimpleName()
              : e.getMessage()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConsentException("interrupted while asking " + tsa + " for a time stamp", e);
    }
    try {
      TimeStampResponse response = new TimeStampResponse(answer);
      response.validate(request);
      if (response.getTimeStampToken() == null) {
        throw new ConsentException("the time-stamping authority at " + tsa + " granted no "
            + "token: " + response.getStatusString());
      }
      return checkpoint.withTimestamp(Base64.getEncoder().encodeToString(
          response.getTimeStampToken().getEncoded()));
    } catch (TSPException | IOException e) {
      throw new ConsentException("the time-stamping authority at " + tsa + " answered with no "
          + "valid time stamp for this checkpoint: " + e.getMessage(), e);
    }
  }

  /**
   * When the TSA whose certificate is in {@code tsaCertificate} (PEM) time-stamped
   * {@code checkpoint}: its token must be signed by that authority and cover this checkpoint's
   * signature.
   *
   * @throws ConfigurationException if the checkpoint has no token, or the file holds no
   *     certificate
   * @throws ConsentException if the token is not that authority's, or covers another signature
   */
  public static Instant verify(SignedCheckpoint checkpoint, Path tsaCertificate) {
    requireBouncyCastlePkix();
    Checks.notNull(checkpoint, "checkpoint");
    Checks.notNull(tsaCertificate, "tsaCertificate");
    if (checkpoint.timestamp().isEmpty()) {
      throw new ConfigurationException("the checkpoint has no time stamp: request one when it "
          + "is signed");
    }
    X509Certificate certificate = certificate(tsaCertificate);
    TimeStampToken token;
    try {
      token = new TimeStampToken(new org.bouncycastle.cms.CMSSignedData(
          Base64.getDecoder().decode(checkpoint.timestamp())));
    } catch (IllegalArgumentException | org.bouncycastle.cms.CMSException | TSPException
        | IOException e) {
      throw new ConsentException("the checkpoint's time stamp is not an RFC 3161 token", e);
    }
    try {
      SignerInformationVerifier verifier = new JcaSimpleSignerInfoVerifierBuilder()
          .build(new JcaX509CertificateHolder(certificate));
      token.validate(verifier);
    } catch (TSPException | OperatorCreationException | CertificateException e) {
      throw new ConsentException("the checkpoint's time stamp was not signed by the "
          + "time-stamping authority of " + tsaCertificate + ": " + e.getMessage(), e);
    }
    if (!Arrays.equals(token.getTimeStampInfo().getMessageImprintDigest(),
        imprint(checkpoint))) {
      throw new ConsentException("the checkpoint's time stamp covers another signature: it "
          + "was taken from another checkpoint");
    }
    return token.getTimeStampInfo().getGenTime().toInstant();
  }

  /** The SHA-256 of the checkpoint's signature: what the authority time-stamps. */
  private static byte[] imprint(SignedCheckpoint checkpoint) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(checkpoint.signatureBytes());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static X509Certificate certificate(Path file) {
    byte[] pem;
    try {
      pem = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException("certificate file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("reading certificate file " + file, e);
    }
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(pem));
    } catch (CertificateException | ClassCastException e) {
      throw new ConfigurationException("certificate file " + file + " holds no X.509 "
          + "certificate (PEM)", e);
    }
  }

  private static void requireBouncyCastlePkix() {
    try {
      Class.forName("org.bouncycastle.tsp.TimeStampRequest", false,
          CheckpointTimestamps.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ConsentException("time stamps need org.bouncycastle:bcpkix-jdk18on on the "
          + "class path");
    }
  }
}
