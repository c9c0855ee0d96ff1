package dev.privseg.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.LawfulBasis;
import dev.privseg.core.Purpose;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Period;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spec an application ships as a resource runs in the application's own consent database:
 * parsed from text, its relative paths against a base directory, its gate deciding in the
 * application's ledger by the application's policy, its memberships registered there, and the
 * database left open when the spec closes. Options that would point elsewhere are refused.
 */
class SpecInApplicationDatabaseTest {
  private static final String SPEC = """
      input: {path: customers.csv}
      schema:
        subjectId: id
        fields:
          - {name: id, type: IDENTIFIER, role: DIRECT_IDENTIFIER}
          - {name: spend, type: NUMERIC, role: OTHER}
      purpose: {id: marketing-segmentation, description: Offers, lawfulBasis: CONSENT}
      lawfulBasis:
        ledger: LEDGER
      minimize: {keep: [spend]}
      pseudonymize: {field: id, key: {directory: true}}
      segmentation: {algorithm: kmeans, k: 2, seed: 1}
      release: {minSegmentSize: 2}
      """;

  @TempDir Path dir;

  private ConsentDatabase database() throws IOException {
    StringBuilder customers = new StringBuilder("id,spend\n");
    for (int i = 1; i <= 20; i++) {
      customers.append("C").append(i).append(',').append(i % 2 == 0 ? i : 500 + i).append('\n');
    }
    Files.writeString(dir.resolve("customers.csv"), customers);
    return ConsentDatabase.h2(dir.resolve("app-db"));
  }

  private static void consents(ConsentLedger ledger, int from, int to, String at) {
    for (int i = from; i <= to; i++) {
      ledger.append(EventDraft.of(ledger.keyOf(SubjectId.of("C" + i)),
          dev.privseg.core.PurposeId.of("marketing-segmentation"),
          EventType.CONSENT_GIVEN, Instant.parse(at), EventSource.WEB_FORM, "signup"));
    }
  }

  private Spec spec(String ledger) {
    return Spec.parse(SPEC.replace("LEDGER", ledger), "classpath:segmentation/offers.yaml", dir,
        Map.of());
  }

  @Test
  void aParsedSpecRunsInTheApplicationsDatabaseAndRegistersItsMembershipsThere()
      throws IOException {
    try (ConsentDatabase db = database()) {
      ConsentLedger ledger = db.ledger(SubjectKeyer.from(KeyProvider.ephemeral()));
      consents(ledger, 1, 12, "2026-01-01T00:00:00Z");
      SegmentationRun run;
      try (Spec spec = spec("{keepRunsFor: P90D}").inConsentDatabase(db, ledger, List.of())) {
        assertThat(spec.registersMemberships()).isTrue();
        run = spec.pipeline().run(spec.read());
        assertThat(spec.registerMemberships(run)).hasValueSatisfying(
            forgot -> assertThat(forgot).startsWith("forgot 0 segment memberships"));
      }
      assertThat(run.report().counts().processedRows()).isEqualTo(12);
      assertThat(run.report().counts().excludedByGate()).containsEntry("NO_BASIS", 8L);
      assertThat(db.memberships().run(run.report().runId())).isPresent();
      assertThat(ledger.size()).as("the application's database is still open").isEqualTo(12);
    }
  }

  @Test
  void theApplicationsPolicyForThePurposeDecides() throws IOException {
    try (ConsentDatabase db = database()) {
      ConsentLedger ledger = db.ledger(SubjectKeyer.from(KeyProvider.ephemeral()));
      consents(ledger, 1, 6, "2020-01-01T00:00:00Z"); // long ago
      consents(ledger, 7, 12, Instant.now().minus(java.time.Duration.ofDays(2)).toString());
      ConsentPolicy oneYear = ConsentPolicy.forPurpose(Purpose.of("marketing-segmentation",
          "Offers", LawfulBasis.CONSENT)).consentExpiresAfter(Period.ofYears(1)).build();
      try (Spec spec = spec("{}").inConsentDatabase(db, ledger, List.of(oneYear))) {
        assertThat(spec.ledgerPolicy()).contains(oneYear);
        SegmentationRun run = spec.pipeline().run(spec.read());
        assertThat(run.report().counts().processedRows()).isEqualTo(6);
        assertThat(run.report().counts().excludedByGate()).containsEntry("CONSENT_EXPIRED", 6L);
        assertThat(run.report().lawfulBasisGate()).contains("consentExpiry=P1Y");
      }
      try (Spec spec = spec("{}").inConsentDatabase(db, ledger, List.of())) {
        assertThat(spec.pipeline().run(spec.read()).report().counts().processedRows())
            .as("without the application's policy, the spec's own: no expiry").isEqualTo(12);
      }
    }
  }

  @Test
  void optionsThatPointElsewhereAreRefusedByName() throws IOException {
    try (ConsentDatabase db = database()) {
      ConsentLedger ledger = db.ledger(SubjectKeyer.from(KeyProvider.ephemeral()));
      ConsentPolicy policy = ConsentPolicy.forPurpose(Purpose.of("marketing-segmentation",
          "Offers", LawfulBasis.CONSENT)).build();
      Map<String, String> refused = Map.of(
          "{db: consent-db}", "spec: lawfulBasis.ledger.db is not used: the pipeline runs in "
              + "the application's consent database, with its key; remove it",
          "{jdbc: 'jdbc:postgresql://h/db'}", "spec: lawfulBasis.ledger.jdbc is not used",
          "{keyEnv: CRM_KEY}", "spec: lawfulBasis.ledger.keyEnv is not used",
          "{directMarketing: true}", "spec: lawfulBasis.ledger.directMarketing is not used: the "
              + "application's policy for purpose 'marketing-segmentation' decides; remove it",
          "{consentExpiryMonths: 12}", "spec: lawfulBasis.ledger.consentExpiryMonths is not used");
      refused.forEach((ledgerOption, message) -> assertThatThrownBy(
          () -> spec(ledgerOption).inConsentDatabase(db, ledger, List.of(policy)))
          .as(ledgerOption).isInstanceOf(ConfigurationException.class)
          .hasMessageStartingWith(message));
      String ephemeral = SPEC.replace("LEDGER", "{}")
          .replace("directory: true", "ephemeral: true");
      assertThat(Spec.parse(ephemeral, "x.yaml", dir, Map.of()).registersMemberships())
          .isFalse();
      Spec allowList = Spec.parse(SPEC.replace("ledger: LEDGER", "allowedSubjects: ids.txt"),
          "offers.yaml", dir, Map.of());
      assertThatThrownBy(() -> allowList.inConsentDatabase(db, ledger, List.of()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("spec: lawfulBasis.ledger is required to run in the application's "
              + "consent database");
    }
  }

  @Test
  void aParsedSpecsMistakesNameItsResourceNeverItsText() {
    assertThatThrownBy(() -> Spec.parse("purpose: {id: x, secret: C12345}\n",
        "classpath:segmentation/offers.yaml", dir, Map.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("spec classpath:segmentation/offers.yaml: unknown option "
            + "'purpose.secret'")
        .message().doesNotContain("C12345");
  }
}
