package dev.privseg.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image the build writes (Jib, to a tarball, on the base image of
 * {@code .ci/base-image.sh}) runs: its layers unpacked as a runtime would, its own entrypoint
 * started in that root file system (chroot, as the image's unprivileged user), and the service
 * answers over loopback. Runs in {@code verify} when PRIVSEG_BASE_IMAGE names the base image
 * (as {@code .ci/run} does), as root.
 */
class ContainerImageIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theImageRunsTheServiceAsItsUnprivilegedUser(@TempDir Path dir) throws Exception {
    Path image = Path.of("target", "privseg-service-image.tar");
    boolean wanted = System.getenv("PRIVSEG_BASE_IMAGE") != null;
    if (!Files.isRegularFile(image)) {
      if (wanted) {
        fail("PRIVSEG_BASE_IMAGE is set but the build wrote no " + image);
      }
      assumeTrue(false, "SKIPPED: no container image (. .ci/base-image.sh, then build)");
    }
    boolean root = run(dir, List.of("id", "-u")).strip().equals("0");
    if (!root) {
      if (System.getenv("CI") != null) {
        fail("the image test needs root (chroot) under CI");
      }
      assumeTrue(false, "SKIPPED: running the image needs root (chroot)");
    }

    Path unpacked = dir.resolve("image");
    Path rootfs = dir.resolve("rootfs");
    Files.createDirectories(unpacked);
    Files.createDirectories(rootfs);
    run(dir, List.of("tar", "--warning=no-unknown-keyword", "-xf",
        image.toAbsolutePath().toString(), "-C", unpacked.toString()));
    JsonNode manifest = JSON.readTree(unpacked.resolve("manifest.json").toFile()).get(0);
    for (JsonNode layer : manifest.get("Layers")) {
      run(dir, List.of("tar", "--warning=no-unknown-keyword", "--numeric-owner", "-xf",
          unpacked.resolve(layer.asText()).toString(), "-C", rootfs.toString()));
    }
    JsonNode config = JSON.readTree(unpacked.resolve(manifest.get("Config").asText()).toFile())
        .get("config");
    assertThat(config.get("User").asText()).isEqualTo("65534:65534");
    assertThat(config.get("ExposedPorts").has("8080/tcp")).isTrue();

    RSAKey issuer = RunningService.newIssuer();
    Files.writeString(rootfs.resolve("tmp/issuer.pub"), RunningService.publicKeyPem(issuer));
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    List<String> command = new ArrayList<>(List.of("chroot", "--userspec=65534:65534",
        rootfs.toString(), "env", "-i"));
    config.get("Env").forEach(e -> command.add(e.asText()));
    command.add("PRIVSEG_KEY=" + Base64.getEncoder().encodeToString(key));
    config.get("Entrypoint").forEach(e -> command.add(e.asText()));
    command.addAll(List.of("--server.port=" + port, "--server.address=127.0.0.1",
        "--spring.datasource.url=jdbc:h2:mem:image;DB_CLOSE_DELAY=-1",
        "--spring.security.oauth2.resourceserver.jwt.public-key-location=file:/tmp/issuer.pub",
        "--privseg.purposes.marketing-segmentation.description=E-mail offers"));
    Path log = dir.resolve("service.log");
    // As a container runtime does: the JVM finds its libraries through /proc/self/exe.
    run(dir, List.of("mount", "-t", "proc", "proc", rootfs.resolve("proc").toString()));
    Process service = null;
    try {
      service = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String base = "http://127.0.0.1:" + port;
      HttpResponse<String> gpc = null;
      for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
          System.nanoTime() < end && service.isAlive(); Thread.sleep(500)) {
        try {
          gpc = http.send(HttpRequest.newBuilder(URI.create(base + "/.well-known/gpc.json"))
              .build(), HttpResponse.BodyHandlers.ofString());
          break;
        } catch (IOException notYet) {
          // starting
        }
      }
      assertThat(gpc).as("the service in the image answered; its log:%n%s",
          Files.readString(log)).isNotNull();
      assertThat(JSON.readTree(gpc.body()).get("gpc").asBoolean()).isTrue();
      HttpRequest.Builder capture = HttpRequest.newBuilder(URI.create(base + "/api/v1/consents"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(
              ServiceHttpContract.consent("C-image", "CONSENT_GIVEN")));
      assertThat(http.send(capture.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(401);
      String token = RunningService.signed(issuer, "crm-web", "CAPTURE");
      assertThat(http.send(capture.header("Authorization", "Bearer " + token).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(201);
      assertThat(Files.readString(log)).doesNotContain("C-image");
    } finally {
      if (service != null) {
        service.destroy();
        if (!service.waitFor(30, TimeUnit.SECONDS)) {
          service.destroyForcibly();
        }
      }
      run(dir, List.of("umount", "-l", rootfs.resolve("proc").toString()));
    }
  }

  private static String run(Path dir, List<String> command)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(),
        java.nio.charset.StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }
}
