package dev.privseg.spring;

import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.pseudonymize.KeyProvider;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * privseg in a Spring Boot application with a {@code DataSource}: the consent database in it
 * (migrated on start, or checked only, {@code privseg.consent.migrate}), the key (a
 * {@link KeyProvider} bean of the application's, else {@code privseg.key.environment-variable}),
 * the consent ledger keyed with it and, with the actuator, a health indicator that checks the
 * ledger's hash chain and gauges of the ledger and the subject requests. Every bean backs off when the application defines its own.
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
