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
 * {@link KeyProvider} bean of the application's, else {@code privseg.keys.environment-variable}),
 * the consent ledger keyed with it; with {@code privseg.purposes}, the consent gate, subject
 * rights and activation checks deciding by their policies; with {@code privseg.pipelines} and
 * privseg-spec, the {@link SegmentationService} running them; and, with the actuator, a health
 * indicator that checks the ledger's hash chain, gauges of the ledger and the subject requests,
 * and the runs' meters. Every bean backs off when the application defines its own.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
    "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"})
@ConditionalOnClass(ConsentDatabase.class)
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties(PrivsegProperties.class)
public class PrivsegAutoConfiguration {

  /**
   * The key, unless the application has one: from {@code privseg.keys.keystore} when set (its
   * password in the environment variable {@code privseg.keys.password-environment-variable}),
   * else from the environment variable {@code privseg.keys.environment-variable}.
   *
   * @throws dev.privseg.core.pseudonymize.KeyException naming the variable or key store entry
   *     that is missing or wrong
   */
  @Bean
  @ConditionalOnMissingBean
  public KeyProvider privsegKeyProvider(PrivsegProperties properties) {
    return key(properties.getKeys(), System.getenv());
  }

  /** The key {@code key} describes, reading {@code environment}. */
  static KeyProvider key(PrivsegProperties.Key key, java.util.Map<String, String> environment) {
    if (key.getKeystore() == null) {
      return KeyProvider.fromEnvironment(key.getEnvironmentVariable(), environment);
    }
    String password = environment.get(key.getPasswordEnvironmentVariable());
    if (password == null) {
      throw new dev.privseg.core.pseudonymize.KeyException("environment variable "
          + key.getPasswordEnvironmentVariable() + " (the password of privseg.keys.keystore) is "
          + "not set");
    }
    return KeyProvider.fromKeyStore(key.getKeystore(), password.toCharArray(), key.getAlias());
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

  /**
   * The segmentation service, when {@code privseg.pipelines} names a pipeline and privseg-spec is
   * on the class path: runs on the application's task executor ({@code applicationTaskExecutor})
   * when it has one, else each on a thread of its own; with Micrometer, the runs' meters.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "dev.privseg.spec.Spec")
  @Conditional(OnPipelines.class)
  static class Pipelines {
    @Bean
    @ConditionalOnMissingBean
    SegmentationService privsegSegmentationService(PrivsegProperties properties,
        ConsentDatabase database, ConsentLedger ledger,
        org.springframework.core.io.ResourceLoader resources,
        @org.springframework.beans.factory.annotation.Qualifier("applicationTaskExecutor")
        org.springframework.beans.factory.ObjectProvider<java.util.concurrent.Executor> executor,
        org.springframework.beans.factory.ObjectProvider<SegmentationService.Listener> listeners)
        throws java.io.IOException {
      List<SegmentationService.Pipeline> pipelines = new ArrayList<>();
      for (var e : properties.getPipelines().entrySet()) {
        org.springframework.core.io.Resource r = resources.getResource(e.getValue());
        if (!r.exists()) {
          throw new dev.privseg.core.ConfigurationException("privseg.pipelines." + e.getKey()
              + ": no spec at " + e.getValue());
        }
        pipelines.add(new SegmentationService.Pipeline(e.getKey(), e.getValue(),
            r.getContentAsString(java.nio.charset.StandardCharsets.UTF_8)));
      }
      List<SegmentationService.Listener> all = listeners.orderedStream().toList();
      SegmentationService.Listener listener = new SegmentationService.Listener() {
        @Override
        public void ran(String pipeline, dev.privseg.core.report.ProcessingRecord record) {
          all.forEach(l -> l.ran(pipeline, record));
        }

        @Override
        public void failed(String pipeline, Throwable failure) {
          all.forEach(l -> l.failed(pipeline, failure));
        }
      };
      return new SegmentationService(pipelines, properties.getPipelineDirectory(), database,
          ledger, policies(properties), executor.getIfAvailable(
              () -> new org.springframework.core.task.SimpleAsyncTaskExecutor("privseg-run-")),
          listener);
    }

    /** The runs' meters and the budgets' gauge, when the application has Micrometer. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
    PipelineMetrics privsegPipelineMetrics(ConsentDatabase database) {
      return new PipelineMetrics(database.spendLog());
    }
  }

  /** Pipelines named without privseg-spec to run them: a mistake, said at start. */
  @Configuration(proxyBeanMethods = false)
  @org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass(
      "dev.privseg.spec.Spec")
  @Conditional(OnPipelines.class)
  static class PipelinesWithoutSpec {
    @Bean
    Object privsegSegmentationService() {
      throw new dev.privseg.core.ConfigurationException("privseg.pipelines names pipelines, "
          + "but privseg-spec, which reads and runs them, is not on the class path: add the "
          + "dev.privseg:privseg-spec dependency");
    }
  }

  /** Whether {@code privseg.pipelines} names at least one pipeline. */
  static final class OnPipelines extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context,
        AnnotatedTypeMetadata metadata) {
      boolean any = Binder.get(context.getEnvironment()).bind("privseg.pipelines",
          Bindable.mapOf(String.class, String.class)).map(m -> !m.isEmpty()).orElse(false);
      return any ? ConditionOutcome.match("privseg.pipelines names a pipeline")
          : ConditionOutcome.noMatch("privseg.pipelines names no pipeline");
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
