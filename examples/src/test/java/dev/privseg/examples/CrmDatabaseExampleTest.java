package dev.privseg.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.report.ProcessingRecord;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class CrmDatabaseExampleTest {

  @Test
  void segmentsFromTheCrmGoBackIntoItByPseudonymWithTheRunsRecord() throws SQLException {
    KeyProvider keys = KeyProvider.ephemeral();
    JdbcDataSource crm = new JdbcDataSource();
    crm.setURL("jdbc:h2:mem:crm-example-test;DB_CLOSE_DELAY=-1");
    SyntheticCustomers.Population population = SyntheticCustomers.generate(3_000, 7);
    CrmDatabaseExample.createTable(crm, "customers", population.customers());

    try (ConsentDatabase consent = ConsentDatabase.open(crm, "CRM test database")) {
      ConsentLedger ledger = consent.ledger(SubjectKeyer.from(keys));
      DemoPipeline.recordConsents(ledger, population);

      CrmDatabaseExample.Outcome outcome =
          CrmDatabaseExample.segment(crm, ledger, keys, consent.memberships());

      assertThat(outcome.customersRead()).isEqualTo(3_000);
      assertThat(outcome.segmented()).isPositive().isLessThan(3_000);
      try (Connection c = crm.getConnection(); Statement s = c.createStatement()) {
        Set<String> pseudonyms = new HashSet<>();
        try (ResultSet rs = s.executeQuery("SELECT pseudonym, segment FROM marketing_segment "
            + "WHERE run_id = '" + outcome.runId() + "'")) {
          while (rs.next()) {
            pseudonyms.add(rs.getString(1));
            assertThat(rs.getInt(2)).isBetween(0, 4);
          }
        }
        assertThat(pseudonyms).hasSize(outcome.segmented());
        StringColumn ids = population.customers().column("customer_id", StringColumn.class);
        for (int r = 0; r < ids.size(); r++) {
          assertThat(pseudonyms).doesNotContain(ids.get(r));
        }
        try (ResultSet rs = s.executeQuery("SELECT record FROM privseg_run WHERE run_id = '"
            + outcome.runId() + "'")) {
          assertThat(rs.next()).isTrue();
          ProcessingRecord record = ProcessingRecord.fromJson(rs.getString(1));
          assertThat(record.counts().processedRows()).isEqualTo(outcome.segmented());
          assertThat(record.fields().used()).doesNotContain("email", "postcode",
              "annual_income", "signup_date");
        }
        // The consent tables were migrated into the CRM database, beside its own.
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM "
            + "\"privseg_consent_schema_history\"")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getInt(1)).isPositive();
        }
      }
      // An access request can now explain the segment a subject is in.
      String someone = pseudonymsOf(crm, outcome.runId()).iterator().next();
      assertThat(consent.memberships().memberships(someone)).singleElement()
          .satisfies(m -> assertThat(m.runId()).isEqualTo(outcome.runId()));
    }
  }

  private static Set<String> pseudonymsOf(JdbcDataSource crm, String runId) throws SQLException {
    Set<String> out = new HashSet<>();
    try (Connection c = crm.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pseudonym FROM marketing_segment WHERE run_id = '"
            + runId + "'")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
