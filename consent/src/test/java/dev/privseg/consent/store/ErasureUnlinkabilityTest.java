package dev.privseg.consent.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.Fixtures;
import dev.privseg.consent.directory.DirectoryPseudonymizer;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.consent.rights.SubjectRights;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.Purposes;
import dev.privseg.core.SubjectId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After erasure, nothing stored links the remaining records to the person. Found by a security
 * probe: with the raw id and the key, the erasure request in the request log and the erasure
 * event in the ledger shared a timestamp, and joining on it recovered the erased person's whole
 * consent history and earlier requests. The test plays the attacker: it derives every value the
 * raw id and the key give (the lookup key, as numbers and as hex), finds every stored row that
 * holds one, and requires that only the tombstone does, with nothing in it but the lookup key (no
 * time, no sequence: nothing to join on).
 */
class ErasureUnlinkabilityTest {
  static final SubjectId PERSON = SubjectId.of("C-erased-1001");

  static void nothingLinksTheErasedPerson(DataSource ds, ConsentDatabase db) throws Exception {
    ConsentLedger ledger = db.ledger(Fixtures.KEYER);
    SubjectRights rights = new SubjectRights(ledger, List.of(ConsentPolicy.forPurpose(
        Purposes.MARKETING_SEGMENTATION).build()), DirectoryPseudonymizer.of(ledger),
        db.memberships(), db.requestLog());
    Instant t = Instant.parse("2026-03-01T10:00:00Z");
    ledger.append(Fixtures.event(ledger.keyOf(PERSON), Fixtures.MARKETING,
        EventType.CONSENT_GIVEN, 1));
    ledger.append(Fixtures.event(ledger.keyOf(SubjectId.of("C-other")), Fixtures.MARKETING,
        EventType.CONSENT_GIVEN, 1));
    rights.object(PERSON, Fixtures.MARKETING, t, "desk");
    rights.access(PERSON, t.plusSeconds(60), "desk");
    rights.erase(PERSON, t.plusSeconds(120), "dpo");
    rights.access(PERSON, t.plusSeconds(180), "desk"); // asked again after erasure
    rights.erase(PERSON, t.plusSeconds(240), "dpo");

    SubjectKey lookup = Fixtures.KEYER.key(PERSON);
    List<String> linked = new ArrayList<>();
    try (Connection c = ds.getConnection()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%",
          new String[] {"TABLE"})) {
        while (rs.next()) {
          String name = rs.getString("TABLE_NAME");
          if (name.toLowerCase(Locale.ROOT).startsWith("privseg_")
              && !name.toLowerCase(Locale.ROOT).contains("schema_history")) {
            tables.add(name);
          }
        }
      }
      assertThat(tables).hasSizeGreaterThan(5);
      for (String table : tables) {
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
          ResultSetMetaData meta = rs.getMetaData();
          while (rs.next()) {
            List<String> columns = new ArrayList<>();
            boolean holdsLookup = false;
            for (int i = 1; i <= meta.getColumnCount(); i++) {
              String v = rs.getString(i);
              columns.add(meta.getColumnName(i).toLowerCase(Locale.ROOT));
              holdsLookup |= v != null && (v.equals(Long.toString(lookup.high()))
                  || v.equals(Long.toString(lookup.low())) || v.contains(lookup.hex()));
            }
            if (holdsLookup) {
              linked.add(table.toLowerCase(Locale.ROOT) + columns);
            }
          }
        }
      }
    }
    assertThat(linked).containsExactly("privseg_erased_subject[lookup_high, lookup_low]");
    assertThat(ledger.isErased(PERSON)).isTrue();
    assertThat(db.requestLog().requests()).hasSize(5)
        .allMatch(r -> !r.subjectKey().equals(lookup.hex()));
  }

  @Test
  void h2(@TempDir Path dir) throws Exception {
    Databases.onH2(dir, ErasureUnlinkabilityTest::nothingLinksTheErasedPerson);
  }

  @Test
  void postgres() throws Exception {
    Databases.onPostgres(ErasureUnlinkabilityTest::nothingLinksTheErasedPerson);
  }
}
