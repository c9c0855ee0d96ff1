package dev.privseg.consent.store;

import static dev.privseg.consent.Fixtures.day;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.consent.ActivationProperties;
import dev.privseg.consent.CheckpointCheck;
import dev.privseg.consent.CheckpointSigner;
import dev.privseg.consent.CheckpointVerifier;
import dev.privseg.consent.ConsentException;
import dev.privseg.consent.Fixtures;
import dev.privseg.consent.SignedCheckpoint;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.Verification;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.pipeline.SegmentationRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed checkpoints of a consent database, H2 and PostgreSQL: a run's record digest is kept at
 * registration and is what {@code sha256sum} prints for its record file; the checkpoint holds
 * for the database it sealed, and catches events removed from the end with the head re-sealed,
 * and a run's digest rewritten in SQL; a run forgotten since is listed, not failed.
 */
class CheckpointDatabaseTest {
  @TempDir
  Path dir;

  @Test
  void onH2() throws Exception {
    Files.createDirectories(dir.resolve("h2"));
    Databases.onH2(dir.resolve("h2"), this::scenario);
  }

  @Test
  void onPostgres() throws Exception {
    Databases.onPostgres(this::scenario);
  }

  private void scenario(DataSource ds, ConsentDatabase db) throws Exception {
    ConsentLedger ledger = db.ledger(Fixtures.KEYER);
    for (int i = 0; i < 20; i++) {
      ledger.append(Fixtures.event("C" + i, EventType.CONSENT_GIVEN, 1));
    }
    SegmentationRun first = run(ledger);
    SegmentationRun second = run(ledger);
    db.memberships().register(first, "spend segments");
    db.memberships().register(second, "spend segments");
    first.report().writeJson(dir.resolve("record.json"));
    String fileDigest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(Files.readAllBytes(dir.resolve("record.json"))));
    assertThat(db.memberships().run(first.report().runId()).orElseThrow().recordDigest())
        .contains(first.report().digest()).contains(fileDigest);
    // The record itself is kept, as registered.
    assertThat(db.memberships().record(first.report().runId()).orElseThrow().toJson())
        .isEqualTo(first.report().toJson());
    assertThat(db.memberships().record("no-such-run")).isEmpty();

    CheckpointSigner.generateKeys(dir.resolve("key.pem"), dir.resolve("key.pub.pem"));
    SignedCheckpoint checkpoint = CheckpointSigner.load(dir.resolve("key.pem"))
        .sign(db.store(), db.memberships(), day(2));
    assertThat(checkpoint.runs()).containsEntry(first.report().runId(), fileDigest)
        .containsEntry(second.report().runId(), second.report().digest());
    CheckpointVerifier verifier = CheckpointVerifier.load(dir.resolve("key.pub.pem"));
    ledger.append(Fixtures.event("C1", EventType.CONSENT_WITHDRAWN, 3));
    assertThat(verifier.check(checkpoint, db.store(), db.memberships()).holds())
        .as("events appended since").isTrue();
    Verification since = ConsentLedger.verifySince(db.store(),
        checkpoint.ledgerHead().orElseThrow());
    assertThat(since.intact()).isTrue();
    assertThat(since.eventsChecked()).as("the head and the one appended").isEqualTo(2);

    // Storage limitation forgets a run: listed for the auditor, not a failure.
    db.memberships().forgetRun(second.report().runId());
    CheckpointCheck afterForget = verifier.check(checkpoint, db.store(), db.memberships());
    assertThat(afterForget.holds()).isTrue();
    assertThat(afterForget.runsForgotten()).containsExactly(second.report().runId());

    // A run's registration rewritten in SQL.
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      assertThat(s.executeUpdate("UPDATE privseg_registered_run SET record_digest = '"
          + "0".repeat(64) + "' WHERE run_id = '" + first.report().runId() + "'")).isEqualTo(1);
    }
    CheckpointCheck rewritten = verifier.check(checkpoint, db.store(), db.memberships());
    assertThatThrownBy(() -> db.memberships().record(first.report().runId()))
        .isInstanceOf(ConsentException.class)
        .hasMessageContaining("no longer has the digest it was registered with");
    assertThat(rewritten.holds()).isFalse();
    assertThat(rewritten.runsRewritten()).containsExactly(first.report().runId());
    assertThat(rewritten.problem()).startsWith("1 run(s) no longer have the record digest the "
        + "checkpoint sealed");

    // The last events removed and the head re-sealed: the chain alone says intact.
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      assertThat(s.executeUpdate("DELETE FROM privseg_consent_event WHERE seq > 15"))
          .isEqualTo(6);
      s.executeUpdate("UPDATE privseg_consent_head SET last_seq = 15, last_hash = (SELECT hash "
          + "FROM privseg_consent_event WHERE seq = 15)");
    }
    assertThat(ConsentLedger.verify(db.store()).intact()).isTrue();
    CheckpointCheck truncated = verifier.check(checkpoint, db.store(), db.memberships());
    assertThat(truncated.holds()).isFalse();
    assertThat(truncated.problem()).isEqualTo("the ledger is broken at event 16: the ledger "
        + "ends at event 15 but the checkpoint holds event 20: events were removed from the end");
    assertThat(ConsentLedger.verifySince(db.store(), checkpoint.ledgerHead().orElseThrow())
        .problem()).isEqualTo("the ledger ends at event 15 but the checkpoint holds event 20: "
            + "events were removed from the end");
  }

  private static SegmentationRun run(ConsentLedger ledger) {
    return ActivationProperties.spendRun(ledger,
        LawfulBasisGate.allowList(IntStream.range(0, 20).mapToObj(i -> "C" + i)
            .toList()), 20, day(2));
  }
}
