package dev.privseg.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.ConsentException;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.store.Databases;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.Purposes;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pseudonymize.KeyException;
import dev.privseg.core.pseudonymize.KeyProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The starter in an application context: from a {@code DataSource} and a key, the consent
 * database, ledger and health; what it refuses, and how it backs off.
 */
class PrivsegAutoConfigurationTest {
  private static final KeyProvider KEY = randomKey();
  private static final KeyProvider OTHER_KEY = randomKey();

  private static KeyProvider randomKey() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return KeyProvider.fromEnvironment("K",
        java.util.Map.of("K", java.util.Base64.getEncoder().encodeToString(key)));
  }

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(PrivsegAutoConfiguration.class));

  static DataSource h2(Path dir) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:file:" + dir.resolve("app").toAbsolutePath());
    ds.setUser("sa");
    return ds;
  }

  @Test
  void aDataSourceAndAKeyGiveTheConsentDatabaseTheLedgerAndItsHealthOnH2(@TempDir Path dir) {
    DataSource ds = h2(dir);
    runner.withBean(DataSource.class, () -> ds).withBean(KeyProvider.class, () -> KEY)
        .run(context -> ledgerAndHealth(context, ds));
  }

  @Test
  void aDataSourceAndAKeyGiveTheConsentDatabaseTheLedgerAndItsHealthOnPostgres() {
    DataSource ds = Databases.freshPostgresSchema();
    runner.withBean(DataSource.class, () -> ds).withBean(KeyProvider.class, () -> KEY)
        .run(context -> ledgerAndHealth(context, ds));
  }

  private static void ledgerAndHealth(AssertableApplicationContext context, DataSource ds)
      throws Exception {
    assertThat(context).hasNotFailed().hasSingleBean(ConsentDatabase.class)
        .hasSingleBean(ConsentLedger.class).hasSingleBean(LedgerHealthIndicator.class);
    ConsentLedger ledger = context.getBean(ConsentLedger.class);
    LedgerHealthIndicator indicator = context.getBean(LedgerHealthIndicator.class);
    ledger.append(consent(ledger, "C1"));
    Health first = indicator.health();
    assertThat(first.getStatus()).as("%s", first.getDetails()).isEqualTo(Status.UP);
    assertThat(first.getDetails()).containsEntry("chain", "intact")
        .containsEntry("checked", "whole chain").containsEntry("eventsChecked", 1L);

    ledger.append(consent(ledger, "C2"));
    ledger.append(consent(ledger, "C3"));
    Health next = indicator.health();
    assertThat(next.getStatus()).as("%s", next.getDetails()).isEqualTo(Status.UP);
    assertThat(next.getDetails()).containsEntry("checked", "from event 1")
        .containsEntry("eventsChecked", 3L);
    assertThat(next.getDetails().toString()).doesNotContain("C1", "C2", "C3");

    // Someone with write access removes the last event: the next check is down and says why.
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate("DELETE FROM privseg_consent_event WHERE seq = 3");
    }
    Health broken = indicator.health();
    assertThat(broken.getStatus()).isEqualTo(Status.DOWN);
    assertThat(broken.getDetails()).containsEntry("chain", "broken").containsKey("problem");
  }

  @Test
  void theGaugesCountTheLedgersEventsAndTheOpenAndOverdueRequests(@TempDir Path dir) {
    runner.withBean(DataSource.class, () -> h2(dir)).withBean(KeyProvider.class, () -> KEY)
        .run(context -> {
          var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
          context.getBean(PrivsegMetrics.class).bindTo(registry);
          ConsentLedger ledger = context.getBean(ConsentLedger.class);
          ConsentDatabase db = context.getBean(ConsentDatabase.class);
          ledger.append(consent(ledger, "C1"));
          ledger.append(consent(ledger, "C2"));
          var rights = new dev.privseg.consent.rights.SubjectRights(ledger, java.util.List.of(
              dev.privseg.consent.ConsentPolicy.forPurpose(Purposes.MARKETING_SEGMENTATION)
                  .build()), dev.privseg.consent.directory.DirectoryPseudonymizer.of(ledger),
              db.memberships(), db.requestLog());
          rights.receive(SubjectId.of("C1"), dev.privseg.consent.rights.RequestType.ACCESS,
              Instant.parse("2026-01-05T09:00:00Z"), "dpo"); // due early February: overdue
          rights.receive(SubjectId.of("C2"), dev.privseg.consent.rights.RequestType.ACCESS,
              Instant.now(), "dpo");
          assertThat(registry.get("privseg.ledger.events").gauge().value()).isEqualTo(2);
          assertThat(registry.get("privseg.requests.open").gauge().value()).isEqualTo(2);
          assertThat(registry.get("privseg.requests.overdue").gauge().value()).isEqualTo(1);
        });
  }

  @Test
  void purposesGiveTheGateSubjectRightsAndActivationsTheirPolicies(@TempDir Path dir) {
    runner.withBean(DataSource.class, () -> h2(dir)).withBean(KeyProvider.class, () -> KEY)
        .withPropertyValues("privseg.purposes.marketing-segmentation.description=E-mail offers",
            "privseg.purposes.marketing-segmentation.consent-expiry=P24M",
            "privseg.purposes.marketing-segmentation.direct-marketing=true")
        .run(context -> {
          assertThat(context).hasNotFailed()
              .hasSingleBean(dev.privseg.consent.ConsentGate.class)
              .hasSingleBean(dev.privseg.consent.rights.SubjectRights.class)
              .hasSingleBean(dev.privseg.consent.Activations.class);
          ConsentLedger ledger = context.getBean(ConsentLedger.class);
          ledger.append(consent(ledger, "C1")); // given on 1 January 2026
          var gate = context.getBean(dev.privseg.consent.ConsentGate.class);
          assertThat(gate.description()).contains("marketing-segmentation {consentExpiry=P24M, "
              + "directMarketing=true, optOutExcludes=true, minimumNoticeVersion=none}");
          var offers = dev.privseg.core.Purpose.of("marketing-segmentation", "E-mail offers",
              dev.privseg.core.LawfulBasis.CONSENT);
          assertThat(gate.decide(SubjectId.of("C1"), offers,
              Instant.parse("2027-06-01T00:00:00Z")))
              .isEqualTo(dev.privseg.core.gate.BasisDecision.ALLOWED);
          assertThat(gate.decide(SubjectId.of("C1"), offers,
              Instant.parse("2028-06-01T00:00:00Z")))
              .isEqualTo(dev.privseg.core.gate.BasisDecision.CONSENT_EXPIRED);
        });
  }

  @Test
  void withoutPurposesThereIsNoGateAndAPurposeWithoutADescriptionIsNamed(@TempDir Path dir) {
    runner.withBean(DataSource.class, () -> h2(dir)).withBean(KeyProvider.class, () -> KEY)
        .run(context -> assertThat(context).hasNotFailed()
            .doesNotHaveBean(dev.privseg.consent.ConsentGate.class)
            .doesNotHaveBean(dev.privseg.consent.rights.SubjectRights.class));
    runner.withBean(DataSource.class, () -> h2(dir)).withBean(KeyProvider.class, () -> KEY)
        .withPropertyValues("privseg.purposes.marketing-segmentation.direct-marketing=true")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(
              "privseg.purposes.marketing-segmentation.description is required");
        });
  }

  @Test
  void withoutAKeyTheApplicationDoesNotStartAndTheMessageNamesTheVariable(@TempDir Path dir) {
    runner.withBean(DataSource.class, () -> h2(dir))
        .withPropertyValues("privseg.keys.environment-variable=PRIVSEG_TEST_UNSET_KEY")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().isInstanceOf(KeyException.class)
              .hasMessage("environment variable PRIVSEG_TEST_UNSET_KEY is not set");
        });
  }

  @Test
  void anotherKeyThanTheDatabasesStopsTheApplication(@TempDir Path dir) {
    DataSource ds = h2(dir);
    runner.withBean(DataSource.class, () -> ds).withBean(KeyProvider.class, () -> KEY)
        .run(context -> context.getBean(ConsentLedger.class).append(consent(
            context.getBean(ConsentLedger.class), "C1")));
    runner.withBean(DataSource.class, () -> ds).withBean(KeyProvider.class, () -> OTHER_KEY)
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().isInstanceOf(KeyException.class);
        });
  }

  @Test
  void withoutMigrationsAnEmptyDatabaseIsRefusedAndNothingIsCreated(@TempDir Path dir)
      throws Exception {
    DataSource ds = h2(dir);
    runner.withBean(DataSource.class, () -> ds).withBean(KeyProvider.class, () -> KEY)
        .withPropertyValues("privseg.consent.migrate=false", "privseg.consent.name=crm")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause()
              .isInstanceOf(ConsentException.class).hasMessageContaining("crm");
        });
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE "
            + "LOWER(TABLE_NAME) LIKE 'privseg%'")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  @Test
  void withoutADataSourceNothingIsConfigured() {
    runner.withBean(KeyProvider.class, () -> KEY).run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean(ConsentDatabase.class)
            .doesNotHaveBean(ConsentLedger.class));
  }

  @Test
  void theApplicationsOwnBeansWin(@TempDir Path dir) throws Exception {
    ConsentDatabase own = ConsentDatabase.h2(Files.createDirectories(dir.resolve("own")));
    runner.withBean(DataSource.class, () -> h2(dir)).withBean(KeyProvider.class, () -> KEY)
        .withBean(ConsentDatabase.class, () -> own)
        .run(context -> assertThat(context).hasNotFailed().getBean(ConsentDatabase.class)
            .isSameAs(own));
  }

  @Test
  void withoutTheActuatorThereIsNoIndicatorNorGaugeAndTheRestStands(@TempDir Path dir) {
    runner.withBean(DataSource.class, () -> h2(dir)).withBean(KeyProvider.class, () -> KEY)
        .withClassLoader(new org.springframework.boot.test.context.FilteredClassLoader(
            "org.springframework.boot.health", "io.micrometer"))
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(ConsentLedger.class)
            .doesNotHaveBean(LedgerHealthIndicator.class).doesNotHaveBean(PrivsegMetrics.class));
  }

  /**
   * The key's environment variables, as a deployment sets them, do not bind as properties: Spring
   * Boot reads PRIVSEG_KEY as {@code privseg.key}, which once named the key's settings and
   * stopped every application that set the variable (the container image's test caught it).
   */
  @Test
  void theKeysEnvironmentVariablesAreNotMistakenForProperties(@TempDir Path dir) {
    runner.withBean(DataSource.class, () -> h2(dir)).withBean(KeyProvider.class, () -> KEY)
        .withInitializer(context -> context.getEnvironment().getPropertySources().addLast(
            new org.springframework.core.env.SystemEnvironmentPropertySource("systemEnvironment",
                java.util.Map.of("PRIVSEG_KEY", "c2VjcmV0", "PRIVSEG_KEYSTORE_PASSWORD", "pw"))))
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(ConsentLedger.class));
  }

  /** An application finds the auto-configuration on its class path, as Spring Boot looks. */
  @Test
  void anApplicationFindsTheAutoConfiguration() {
    assertThat(org.springframework.boot.context.annotation.ImportCandidates.load(
        org.springframework.boot.autoconfigure.AutoConfiguration.class,
        getClass().getClassLoader()).getCandidates())
        .contains(PrivsegAutoConfiguration.class.getName());
  }

  /** IDEs complete and explain the privseg.* properties from the metadata the build writes. */
  @Test
  void thePropertiesAreDescribedForIdes() throws Exception {
    try (var in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("the configuration processor's metadata").isNotNull();
      var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
      java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> byName =
          new java.util.TreeMap<>();
      json.get("properties").forEach(p -> byName.put(p.get("name").asText(), p));
      assertThat(byName).containsOnlyKeys("privseg.consent.migrate", "privseg.consent.name",
          "privseg.keys.environment-variable", "privseg.keys.keystore", "privseg.keys.alias",
          "privseg.keys.password-environment-variable", "privseg.purposes", "privseg.pipelines",
          "privseg.pipeline-directory");
      assertThat(byName.get("privseg.consent.migrate").get("defaultValue").asBoolean()).isTrue();
      assertThat(byName.get("privseg.keys.environment-variable").get("defaultValue").asText())
          .isEqualTo("PRIVSEG_KEY");
      byName.values().forEach(p -> assertThat(p.get("description").asText()).isNotBlank());
    }
  }

  private static EventDraft consent(ConsentLedger ledger, String id) {
    return EventDraft.of(ledger.keyOf(SubjectId.of(id)), Purposes.MARKETING_SEGMENTATION.id(),
        EventType.CONSENT_GIVEN, Instant.parse("2026-01-01T00:00:00Z"), EventSource.WEB_FORM,
        "signup");
  }
}
