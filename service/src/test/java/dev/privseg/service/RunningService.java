package dev.privseg.service;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.privseg.core.pseudonymize.KeyProvider;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The service started for a test on a loopback port, with a token issuer of the test's own (an
 * RSA key whose public half the service is given), called over real HTTP.
 */
final class RunningService implements AutoCloseable {
  private static final KeyProvider KEY = KeyProvider.ephemeral();
  private final ConfigurableApplicationContext context;
  private final RSAKey issuer;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  final String base;

  private RunningService(ConfigurableApplicationContext context, RSAKey issuer) {
    this.context = context;
    this.issuer = issuer;
    this.base = "http://127.0.0.1:"
        + ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  /** Starts the service on {@code jdbcUrl} with {@code properties} (key=value) beside. */
  static RunningService start(Path dir, String jdbcUrl, String... properties) throws IOException {
    RSAKey issuer = newIssuer();
    Path publicKey = dir.resolve("issuer.pub");
    Files.writeString(publicKey, publicKeyPem(issuer));
    List<String> all = new ArrayList<>(List.of(
        "server.port=0", "server.address=127.0.0.1",
        "spring.datasource.url=" + jdbcUrl,
        "spring.security.oauth2.resourceserver.jwt.public-key-location=file:" + publicKey,
        "privseg.purposes.marketing-segmentation.description=E-mail offers",
        "privseg.purposes.marketing-segmentation.direct-marketing=true",
        "privseg.pipelines.offers=classpath:segmentation/offers.yaml",
        "privseg.pipeline-directory=" + dir,
        "logging.level.root=WARN"));
    all.addAll(List.of(properties));
    ConfigurableApplicationContext context = new SpringApplicationBuilder(PrivsegService.class)
        .initializers((GenericApplicationContext c) ->
            c.registerBean(KeyProvider.class, () -> KEY))
        .properties(all.toArray(String[]::new)).run();
    return new RunningService(context, issuer);
  }

  /** A token issuer's key pair, the test's own. */
  static RSAKey newIssuer() {
    try {
      return new RSAKeyGenerator(2048).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public half of {@code issuer} in PEM, as {@code public-key-location} reads it. */
  static String publicKeyPem(RSAKey issuer) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
            .encodeToString(rsaPublic(issuer).getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  private static java.security.interfaces.RSAPublicKey rsaPublic(RSAKey key) {
    try {
      return key.toRSAPublicKey();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token for {@code subject} with {@code roles}, valid for ten minutes. */
  String token(String subject, String... roles) {
    return signed(issuer, subject, roles);
  }

  /** A token signed by a key the service does not trust. */
  static String forged(String subject, String... roles) throws JOSEException {
    return signed(new RSAKeyGenerator(2048).generate(), subject, roles);
  }

  /** A token signed by {@code key} for {@code subject} with {@code roles}. */
  static String signed(RSAKey key, String subject, String... roles) {
    Instant now = Instant.now();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder()
        .subject(subject).claim("roles", List.of(roles)).issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(600))).build());
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  /** Calls {@code method path} with {@code token} (or none) and a JSON {@code body} (or none). */
  HttpResponse<String> call(String method, String path, String token, String body,
      String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      r.header("Content-Type", "application/json");
    }
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i < headers.length; i += 2) {
      r.header(headers[i], headers[i + 1]);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  @Override
  public void close() {
    context.close();
  }
}
