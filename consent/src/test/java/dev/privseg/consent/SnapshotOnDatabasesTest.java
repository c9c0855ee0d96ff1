package dev.privseg.consent;

import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.store.Databases;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.Purposes;
import java.nio.file.Files;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The snapshot from a database's narrow scan (its own query, binary results on PostgreSQL)
 * decides as the live gate does, with the directory and without it.
 */
class SnapshotOnDatabasesTest {

  @Test
  void h2() throws Exception {
    try (ConsentDatabase db = ConsentDatabase.h2(Files.createTempDirectory("privseg-snapshot"))) {
      check(db);
    }
  }

  @Test
  void postgres() {
    try (ConsentDatabase db = ConsentDatabase.open(Databases.freshPostgresSchema(),
        "PostgreSQL test schema")) {
      check(db);
    }
  }

  private static void check(ConsentDatabase db) {
    SnapshotProperties.assertSnapshotMatchesLiveGate(db.ledger(Fixtures.KEYER),
        new SplittableRandom(3), 120, 50, Fixtures.day(45), Purposes.MARKETING_SEGMENTATION);
    ConsentLedger plain = ConsentLedger.open(db.store(), Fixtures.KEYER);
    SnapshotProperties.assertSnapshotMatchesLiveGate(plain, new SplittableRandom(4), 120, 50,
        Fixtures.day(45), SnapshotProperties.NEWSLETTER);
  }
}
