package dev.privseg.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.privseg.consent.ledger.Checkpoint;
import dev.privseg.consent.ledger.ConsentEvent;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.consent.rights.MembershipRegistry;
import dev.privseg.consent.store.InMemoryLedgerStore;
import dev.privseg.consent.store.LedgerStore;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.PurposeId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoint keys and files: made, written, read back and checked; every mistake (a missing or
 * wrong key file, another signer's key, a file edited after signing, an existing file) reported
 * as that mistake, never a key's bytes.
 */
class SignedCheckpointTest {
  @TempDir
  Path dir;

  private static LedgerStore ledgerOf(int events) {
    LedgerStore store = new InMemoryLedgerStore();
    ConsentLedger ledger = ConsentLedger.open(store, Fixtures.KEYER);
    for (int i = 0; i < events; i++) {
      ledger.append(Fixtures.event("C" + i, EventType.CONSENT_GIVEN, i));
    }
    return store;
  }

  private CheckpointSigner keys(String name) {
    CheckpointSigner.generateKeys(dir.resolve(name + ".pem"), dir.resolve(name + ".pub.pem"));
    return CheckpointSigner.load(dir.resolve(name + ".pem"));
  }

  @Test
  void aCheckpointWrittenAndReadBackHoldsForTheLedgerItSealed() throws Exception {
    LedgerStore ledger = ledgerOf(7);
    CheckpointSigner signer = keys("key");
    SignedCheckpoint signed = signer.sign(ledger, MembershipRegistry.inMemory(),
        Fixtures.day(10));
    signed.write(dir.resolve("checkpoint.json"));

    SignedCheckpoint read = SignedCheckpoint.read(dir.resolve("checkpoint.json"));
    assertThat(read).isEqualTo(signed);
    assertThat(read.ledgerHead()).contains(ConsentLedger.verify(ledger).head().orElseThrow());
    assertThat(read.keyId()).isEqualTo(signer.keyId()).hasSize(16);
    assertThat(Files.readString(dir.resolve("checkpoint.json")))
        .contains("\"format\" : \"privseg-checkpoint/1\"", "\"issuedAt\" : \"2026-01-11T00:00:00Z\"");

    CheckpointVerifier verifier = CheckpointVerifier.load(dir.resolve("key.pub.pem"));
    assertThat(verifier.keyId()).isEqualTo(signer.keyId());
    CheckpointCheck check = verifier.check(read, ledger, MembershipRegistry.inMemory());
    assertThat(check.holds()).isTrue();
    assertThat(check.problem()).isEmpty();
    assertThat(check.ledger().eventsChecked()).isEqualTo(7);
  }

  @Test
  void theSignatureCoversEveryField() {
    LedgerStore ledger = ledgerOf(3);
    CheckpointSigner signer = keys("key");
    CheckpointVerifier verifier = CheckpointVerifier.load(dir.resolve("key.pub.pem"));
    SignedCheckpoint s = signer.sign(ledger, MembershipRegistry.inMemory(),
        Fixtures.day(3));
    TreeMap<String, String> oneMoreRun = new TreeMap<>(s.runs());
    oneMoreRun.put("run-1", "a".repeat(64));
    Checkpoint head = s.ledgerHead().orElseThrow();
    for (SignedCheckpoint altered : new SignedCheckpoint[] {
        new SignedCheckpoint(s.issuedAt().plusSeconds(1), s.ledgerHead(), s.runs(), s.keyId(),
            s.signature()),
        new SignedCheckpoint(s.issuedAt(), Optional.of(new Checkpoint(head.sequence() - 1,
            head.hash())), s.runs(), s.keyId(), s.signature()),
        new SignedCheckpoint(s.issuedAt(), Optional.empty(), s.runs(), s.keyId(), s.signature()),
        new SignedCheckpoint(s.issuedAt(), s.ledgerHead(), oneMoreRun, s.keyId(), s.signature()),
        new SignedCheckpoint(s.issuedAt(), s.ledgerHead(), s.runs(), s.keyId(), "AAAA")}) {
      assertThat(verifier.signatureHolds(altered)).as("%s", altered).isFalse();
      assertThatThrownBy(() -> verifier.check(altered, ledger,
          MembershipRegistry.inMemory()))
          .isInstanceOf(ConsentException.class)
          .hasMessage("the checkpoint's signature does not hold under key " + s.keyId()
              + ": it was altered after it was signed, and proves nothing about the ledger");
    }
    assertThat(verifier.signatureHolds(s)).isTrue();
  }

  @Test
  void anotherSignersKeyIsReportedAsSuchNamingBothKeys() {
    LedgerStore ledger = ledgerOf(2);
    SignedCheckpoint s = keys("ours").sign(ledger, MembershipRegistry.inMemory(),
        Fixtures.day(2));
    keys("theirs");
    CheckpointVerifier theirs = CheckpointVerifier.load(dir.resolve("theirs.pub.pem"));

    assertThatThrownBy(() -> theirs.check(s, ledger, MembershipRegistry.inMemory()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("the checkpoint was signed with key " + s.keyId() + ", not with this public "
            + "key (" + theirs.keyId() + "): give the public key it names");
  }

  @Test
  void theSignerRefusesToSealABrokenChain() {
    LedgerStore ledger = ledgerOf(4);
    LedgerStore broken = new TamperedStore(ledger, 2);
    CheckpointSigner signer = keys("key");

    assertThatThrownBy(() -> signer.sign(broken, MembershipRegistry.inMemory(), Fixtures.day(5)))
        .isInstanceOf(ConsentException.class)
        .hasMessageContaining("is broken at event 2")
        .hasMessageEndingWith("a checkpoint would seal the damage; nothing was signed");
  }

  @Test
  void keysAreNeverOverwrittenTheirFilesAreTheOwnersAndTheyNeverShow() throws Exception {
    CheckpointSigner signer = keys("key");
    String pem = Files.readString(dir.resolve("key.pem"));
    assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Files.readString(dir.resolve("key.pub.pem")))
        .startsWith("-----BEGIN PUBLIC KEY-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(
        "key.pem")))).isEqualTo("rw-------");
    String body = pem.lines().filter(l -> !l.startsWith("-----")).reduce("", String::concat);
    assertThat(signer.toString()).isEqualTo("CheckpointSigner[key " + signer.keyId() + "]")
        .doesNotContain(body);

    assertThatThrownBy(() -> CheckpointSigner.generateKeys(dir.resolve("key.pem"),
        dir.resolve("other.pub.pem")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("key file " + dir.resolve("key.pem") + " already exists: keys are never "
            + "overwritten; choose a new file");
    assertThat(Files.readString(dir.resolve("key.pem"))).isEqualTo(pem);
    assertThat(dir.resolve("other.pub.pem")).doesNotExist();
  }

  @Test
  void aMissingOrWrongKeyFileIsReportedAsThatMistake() throws Exception {
    keys("key");
    assertThatThrownBy(() -> CheckpointSigner.load(dir.resolve("nope.pem")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("private key file " + dir.resolve("nope.pem") + " does not exist");
    assertThatThrownBy(() -> CheckpointSigner.load(dir.resolve("key.pub.pem")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("private key file " + dir.resolve("key.pub.pem")
            + " does not hold a PEM 'PRIVATE KEY'");
    assertThatThrownBy(() -> CheckpointVerifier.load(dir.resolve("key.pem")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("public key file " + dir.resolve("key.pem")
            + " does not hold a PEM 'PUBLIC KEY'")
        .hasMessageNotContaining(Files.readString(dir.resolve("key.pem")).substring(28, 60));
    Files.writeString(dir.resolve("garbage.pem"),
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> CheckpointSigner.load(dir.resolve("garbage.pem")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("private key file " + dir.resolve("garbage.pem") + " does not hold an "
            + "Ed25519 private key: checkpoints are signed with Ed25519");
  }

  @Test
  void aCheckpointFileIsNeverOverwrittenAndABadOneIsReportedAsSuch() throws Exception {
    SignedCheckpoint s = keys("key").sign(ledgerOf(1), MembershipRegistry.inMemory(),
        Fixtures.day(1));
    s.write(dir.resolve("c.json"));
    assertThatThrownBy(() -> s.write(dir.resolve("c.json")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("already exists");
    assertThatThrownBy(() -> SignedCheckpoint.read(dir.resolve("missing.json")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("checkpoint file " + dir.resolve("missing.json") + " does not exist");
    for (String bad : new String[] {"", "{", "[]", "{\"format\":\"other\"}",
        s.toJson().replace("\"runs\" : { }", "\"runs\" : {\"r\" : \"xyz\"}"),
        s.toJson().replace("2026-01-02T00:00:00Z", "yesterday")}) {
      assertThatThrownBy(() -> SignedCheckpoint.parse(bad)).as(bad)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageStartingWith("the text is not");
    }
  }

  @Test
  void aKeyMadeByOpenSslSignsAndVerifies() throws Exception {
    assumeTrue(run("openssl", "version"), "openssl is not installed");
    assertThat(run("openssl", "genpkey", "-algorithm", "ed25519", "-out",
        dir.resolve("ossl.pem").toString())).isTrue();
    assertThat(run("openssl", "pkey", "-in", dir.resolve("ossl.pem").toString(), "-pubout",
        "-out", dir.resolve("ossl.pub.pem").toString())).isTrue();
    LedgerStore ledger = ledgerOf(2);
    SignedCheckpoint s = CheckpointSigner.load(dir.resolve("ossl.pem")).sign(ledger,
        MembershipRegistry.inMemory(), Fixtures.day(2));
    assertThat(CheckpointVerifier.load(dir.resolve("ossl.pub.pem")).check(s, ledger,
        MembershipRegistry.inMemory()).holds()).isTrue();
  }

  /** A store whose event {@code seq} reads back with another actor: a broken link. */
  private record TamperedStore(LedgerStore store, long seq) implements LedgerStore {
    @Override
    public List<ConsentEvent> append(List<EventDraft> drafts, Instant recordedAt) {
      return store.append(drafts, recordedAt);
    }

    @Override
    public List<ConsentEvent> history(SubjectKey subject, PurposeId purpose, Instant upTo) {
      return store.history(subject, purpose, upTo);
    }

    @Override
    public List<ConsentEvent> history(SubjectKey subject) {
      return store.history(subject);
    }

    @Override
    public void scan(Consumer<ConsentEvent> visitor) {
      store.scan(e -> visitor.accept(e.sequence() != seq ? e : new ConsentEvent(e.sequence(),
          e.subject(), e.purpose(), e.type(), e.occurredAt(), e.recordedAt(), e.source(),
          e.noticeVersion(), "someone else", e.proofReference(), e.previousHash(), e.hash())));
    }

    @Override
    public long size() {
      return store.size();
    }

    @Override
    public String description() {
      return "tampered " + store.description();
    }

    @Override
    public String adoptSubjectKeyScheme(String scheme) {
      return store.adoptSubjectKeyScheme(scheme);
    }

    @Override
    public String adoptKeyCheckValue(String checkValue) {
      return store.adoptKeyCheckValue(checkValue);
    }

    @Override
    public void close() {
      store.close();
    }
  }

  private static boolean run(String... command) throws Exception {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
