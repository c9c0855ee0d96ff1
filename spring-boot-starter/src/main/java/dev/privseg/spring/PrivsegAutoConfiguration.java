package dev.privseg.spring;

import dev.privseg.consent.Activations;
import dev.privseg.consent.ConsentGate;
import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.directory.DirectoryPseudonymizer;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.rights.SubjectRights;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.Purpose;
import dev.privseg.core.pseudonymize.KeyProvider;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * privseg in a Spring Boot application with a {@code DataSource}: the consent database in it
 * (migrated on start, or checked only, {@code privseg.consent.migrate}), the key (a
 * {@link KeyProvider} bean of the application's, else {@code privseg.key.environment-variable}),
 * the consent ledger keyed with it; with {@code privseg.purposes}, the consent gate, subject
 * rights and activation checks deciding by their policies; and, with the actuator, a health
 * indicator that checks the ledger's hash chain and gauges of the ledger and the subject
 * requests. Every bean backs off when the application defines its own.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
    "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"})
@ConditionalOnClass(ConsentDatabase.class)
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties(PrivsegProperties.class)
public class PrivsegAutoConfiguration {

  /** The key from {@code privseg.key.environment-variable}, unless the application has one. */
  @Bean
  @ConditionalOnMissingBean
  public KeyProvider privsegKeyProvider(PrivsegProperties properties) {
    return KeyProvider.fromEnvironment(properties.getKey().getEnvironmentVariable());
  }

  /**
   * The consent database in the application's {@code DataSource}: its tables created or brought
   * up to date, or, with {@code privseg.consent.migrate=false}, only checked to be at the
   * version this privseg reads. Closing it leaves the {@code DataSource} to the application.
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public ConsentDatabase privsegConsentDatabase(DataSource dataSource,
      PrivsegProperties properties) {
    String name = properties.getConsent().getName();
    return properties.getConsent().isMigrate() ? ConsentDatabase.open(dataSource, name)
        : ConsentDatabase.openWithoutMigrations(dataSource, name);
  }

  /** What keys subjects, from the key. */
  @Bean
  @ConditionalOnMissingBean
  public SubjectKeyer privsegSubjectKeyer(KeyProvider keys) {
    return SubjectKeyer.from(keys);
  }

  /**
   * The consent ledger; opening it refuses a key other than the one the database was first
   * keyed with, so a wrong key stops the application at start.
   */
  @Bean
  @ConditionalOnMissingBean
  public ConsentLedger privsegConsentLedger(ConsentDatabase database, SubjectKeyer keyer) {
    return database.ledger(keyer);
  }

  /**
   * The policies of {@code privseg.purposes}, in the order given.
   *
   * @throws dev.privseg.core.ConfigurationException naming the property of a purpose without a
   *     description
   */
  static List<ConsentPolicy> policies(PrivsegProperties properties) {
    List<ConsentPolicy> out = new ArrayList<>();
    properties.getPurposes().forEach((id, p) -> {
      if (p.getDescription() == null || p.getDescription().isBlank()) {
        throw new dev.privseg.core.ConfigurationException("privseg.purposes." + id
            + ".description is required: the purpose in plain words, as records state it");
      }
      ConsentPolicy.Builder b = ConsentPolicy.forPurpose(Purpose.of(id, p.getDescription(),
          p.getLawfulBasis())).directMarketing(p.isDirectMarketing())
          .optOutOfSaleOrSharingExcludes(p.isOptOutExcludes());
      if (p.getConsentExpiry() != null) {
        b.consentExpiresAfter(p.getConsentExpiry());
      }
      if (p.getMinimumNoticeVersion() != null) {
        b.minimumNoticeVersion(p.getMinimumNoticeVersion());
      }
      out.add(b.build());
    });
    return List.copyOf(out);
  }

  /** The consent gate and what decides by its policies, when purposes are configured. */
  @Configuration(proxyBeanMethods = false)
  @Conditional(OnPurposes.class)
  static class Decisions {
    /** The gate a pipeline's {@code lawfulBasis(...)} takes, deciding by the purposes' policies. */
    @Bean
    @ConditionalOnMissingBean
    ConsentGate privsegConsentGate(ConsentLedger ledger, PrivsegProperties properties) {
      return ConsentGate.of(ledger, policies(properties));
    }

    /** Access, rectification, objection, erasure and the other requests, with their deadlines. */
    @Bean
    @ConditionalOnMissingBean
    SubjectRights privsegSubjectRights(ConsentLedger ledger, ConsentDatabase database,
        PrivsegProperties properties) {
      return new SubjectRights(ledger, policies(properties), DirectoryPseudonymizer.of(ledger),
          database.memberships(), database.requestLog());
    }

    /** Stale runs and activation checks of registered runs. */
    @Bean
    @ConditionalOnMissingBean
    Activations privsegActivations(ConsentLedger ledger, ConsentDatabase database,
        PrivsegProperties properties) {
      return new Activations(ledger, policies(properties), database.memberships(),
          database.activations());
    }
  }

  /** Whether {@code privseg.purposes} names at least one purpose. */
  static final class OnPurposes extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context,
        AnnotatedTypeMetadata metadata) {
      boolean any = Binder.get(context.getEnvironment()).bind("privseg.purposes",
          Bindable.mapOf(String.class, PrivsegProperties.Purpose.class))
          .map(m -> !m.isEmpty()).orElse(false);
      return any ? ConditionOutcome.match("privseg.purposes names a purpose")
          : ConditionOutcome.noMatch("privseg.purposes names no purpose");
    }
  }

  /** privseg's gauges, when the application has Micrometer (the actuator binds them). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
  static class Metrics {
    @Bean
    @ConditionalOnMissingBean
    PrivsegMetrics privsegMetrics(ConsentLedger ledger, ConsentDatabase database) {
      return new PrivsegMetrics(ledger, database.requestLog(), java.time.Clock.systemUTC());
    }
  }

  /** The ledger's health, when the application has Spring Boot's health support. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class Health {
    @Bean
    @ConditionalOnMissingBean(name = "privsegHealthIndicator")
    LedgerHealthIndicator privsegHealthIndicator(ConsentLedger ledger) {
      return new LedgerHealthIndicator(ledger);
    }
  }
}
