package dev.privseg.consent;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/**
 * A time-stamping authority for tests, on loopback: a fresh key and self-signed certificate
 * (for time stamping only), answering RFC 3161 requests over HTTP with Bouncy Castle's token
 * generator. Close it when done.
 */
public final class TestTimestampAuthority implements AutoCloseable {
  private final HttpServer server;
  private final X509Certificate certificate;
  private final AtomicLong serial = new AtomicLong(1);

  /** Starts an authority on a free loopback port. */
  public TestTimestampAuthority() throws Exception {
    KeyPairGenerator keys = KeyPairGenerator.getInstance("EC");
    keys.initialize(256);
    KeyPair pair = keys.generateKeyPair();
    X500Name name = new X500Name("CN=privseg test TSA");
    long now = System.currentTimeMillis();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
        BigInteger.valueOf(now), new Date(now - 3_600_000L), new Date(now + 86_400_000L), name,
        pair.getPublic());
    builder.addExtension(Extension.extendedKeyUsage, true,
        new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
    certificate = new JcaX509CertificateConverter().getCertificate(builder.build(
        new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    TimeStampTokenGenerator tokens = new TimeStampTokenGenerator(
        new JcaSimpleSignerInfoGeneratorBuilder().build("SHA256withECDSA", pair.getPrivate(),
            certificate),
        new JcaDigestCalculatorProviderBuilder().build().get(
            new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1)),
        new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"));
    TimeStampResponseGenerator responses = new TimeStampResponseGenerator(tokens,
        TSPAlgorithms.ALLOWED);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/tsa", exchange -> {
      try {
        TimeStampRequest request = new TimeStampRequest(exchange.getRequestBody()
            .readAllBytes());
        byte[] answer = responses.generate(request, BigInteger.valueOf(
            serial.getAndIncrement()), new Date()).getEncoded();
        exchange.getResponseHeaders().add("Content-Type", "application/timestamp-reply");
        exchange.sendResponseHeaders(200, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      } catch (Exception e) {
        exchange.sendResponseHeaders(500, -1);
        exchange.close();
      }
    });
    server.start();
  }

  /** Where requests go. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/tsa");
  }

  /** Writes the authority's certificate as PEM to {@code file}. */
  public Path writeCertificate(Path file) throws IOException {
    StringWriter pem = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
      writer.writeObject(certificate);
    }
    return Files.writeString(file, pem.toString(), StandardCharsets.US_ASCII);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
