package dev.privseg.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.rights.MembershipRegistry;
import dev.privseg.consent.store.InMemoryLedgerStore;
import dev.privseg.consent.store.LedgerStore;
import dev.privseg.core.ConfigurationException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 3161 time stamps of signed checkpoints against a local test authority on loopback: a
 * stamped checkpoint verifies with the authority's certificate and gives the time it was
 * stamped, survives its file, and still verifies as signed; a token moved to another checkpoint,
 * another authority's certificate, an unreachable authority and a missing token are each
 * reported as such.
 */
class CheckpointTimestampsTest {
  @TempDir
  Path dir;

  private SignedCheckpoint signed(CheckpointSigner signer, int events) {
    LedgerStore store = new InMemoryLedgerStore();
    ConsentLedger ledger = ConsentLedger.open(store, Fixtures.KEYER);
    for (int i = 0; i < events; i++) {
      ledger.append(Fixtures.event("C" + i, EventType.CONSENT_GIVEN, i));
    }
    return signer.sign(store, MembershipRegistry.inMemory(), Fixtures.day(events));
  }

  @Test
  void aStampedCheckpointVerifiesWithTheAuthoritysCertificate() throws Exception {
    CheckpointSigner.generateKeys(dir.resolve("key.pem"), dir.resolve("key.pub.pem"));
    CheckpointSigner signer = CheckpointSigner.load(dir.resolve("key.pem"));
    try (TestTimestampAuthority tsa = new TestTimestampAuthority();
        TestTimestampAuthority other = new TestTimestampAuthority()) {
      Path cert = tsa.writeCertificate(dir.resolve("tsa.pem"));
      Instant before = Instant.now().minusSeconds(1);
      SignedCheckpoint stamped = CheckpointTimestamps.request(signed(signer, 3), tsa.uri(),
          Duration.ofSeconds(10));
      Instant after = Instant.now().plusSeconds(1);

      assertThat(CheckpointTimestamps.verify(stamped, cert)).isBetween(before, after);
      stamped.write(dir.resolve("checkpoint.json"));
      SignedCheckpoint read = SignedCheckpoint.read(dir.resolve("checkpoint.json"));
      assertThat(read).isEqualTo(stamped);
      assertThat(CheckpointTimestamps.verify(read, cert)).isBetween(before, after);
      assertThat(CheckpointVerifier.load(dir.resolve("key.pub.pem")).signatureHolds(read))
          .as("the token is not part of what was signed").isTrue();

      SignedCheckpoint another = signed(signer, 4).withTimestamp(stamped.timestamp());
      assertThatThrownBy(() -> CheckpointTimestamps.verify(another, cert))
          .isInstanceOf(ConsentException.class)
          .hasMessageContaining("covers another signature");
      Path otherCert = other.writeCertificate(dir.resolve("other.pem"));
      assertThatThrownBy(() -> CheckpointTimestamps.verify(stamped, otherCert))
          .isInstanceOf(ConsentException.class)
          .hasMessageStartingWith("the checkpoint's time stamp was not signed by the "
              + "time-stamping authority of " + otherCert);
    }
  }

  @Test
  void mistakesAreReportedAsSuch() throws Exception {
    CheckpointSigner.generateKeys(dir.resolve("key.pem"), dir.resolve("key.pub.pem"));
    SignedCheckpoint plain = signed(CheckpointSigner.load(dir.resolve("key.pem")), 1);
    URI closed;
    try (TestTimestampAuthority tsa = new TestTimestampAuthority()) {
      closed = tsa.uri();
      tsa.writeCertificate(dir.resolve("tsa.pem"));
    }
    assertThatThrownBy(() -> CheckpointTimestamps.request(plain, closed, Duration.ofSeconds(5)))
        .isInstanceOf(ConsentException.class)
        .hasMessageStartingWith("the time-stamping authority at " + closed + " could not be "
            + "reached");
    assertThatThrownBy(() -> CheckpointTimestamps.verify(plain, dir.resolve("tsa.pem")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("the checkpoint has no time stamp");
    assertThatThrownBy(() -> CheckpointTimestamps.verify(plain.withTimestamp("AAAA"),
        dir.resolve("key.pub.pem")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("certificate file " + dir.resolve("key.pub.pem") + " holds no X.509 "
            + "certificate (PEM)");
  }
}
