package dev.privseg.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.consent.Activations;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.PurposeId;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Pipelines from spec resources, run by the {@link SegmentationService} on the application's
 * executor in its consent database: memberships registered there and decided by the
 * application's policies; the runs' meters; and the mistakes that stop the application at start.
 */
class SegmentationServiceTest {
  private static final KeyProvider KEY = KeyProvider.ephemeral();

  @TempDir Path dir;
  private DataSource ds;
  private ApplicationContextRunner runner;

  @BeforeEach
  void customers() throws IOException {
    StringBuilder csv = new StringBuilder("id,spend\n");
    for (int i = 1; i <= 20; i++) {
      csv.append("C").append(i).append(',').append(i % 2 == 0 ? i : 500 + i).append('\n');
    }
    Files.writeString(dir.resolve("customers.csv"), csv);
    ds = PrivsegAutoConfigurationTest.h2(dir);
    runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PrivsegAutoConfiguration.class))
        .withBean(DataSource.class, () -> ds).withBean(KeyProvider.class, () -> KEY)
        .withPropertyValues("privseg.pipeline-directory=" + dir,
            "privseg.purposes.marketing-segmentation.description=E-mail offers",
            "privseg.purposes.marketing-segmentation.direct-marketing=true");
  }

  private static void consent(ConsentLedger ledger, int from, int to, EventType type) {
    for (int i = from; i <= to; i++) {
      ledger.append(EventDraft.of(ledger.keyOf(SubjectId.of("C" + i)),
          PurposeId.of("marketing-segmentation"), type, Instant.parse("2026-01-01T00:00:00Z"),
          EventSource.WEB_FORM, "signup"));
    }
  }

  @Test
  void aPipelineRunsOnTheExecutorAndItsMembersAreDecidedByTheApplicationsPolicy() {
    AtomicInteger tasks = new AtomicInteger();
    Executor counting = r -> {
      tasks.incrementAndGet();
      new Thread(r, "app-task").start();
    };
    runner.withPropertyValues("privseg.pipelines.offers=classpath:segmentation/offers.yaml")
        .withBean("applicationTaskExecutor", Executor.class, () -> counting)
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(SegmentationService.class);
          SegmentationService service = context.getBean(SegmentationService.class);
          assertThat(service.pipelines()).containsExactly("offers");
          ConsentLedger ledger = context.getBean(ConsentLedger.class);
          consent(ledger, 1, 12, EventType.CONSENT_GIVEN);

          SegmentationRun run = service.run("offers").join();
          assertThat(tasks).hasValue(1);
          assertThat(run.report().counts().processedRows()).isEqualTo(12);
          assertThat(run.report().lawfulBasisGate()).contains("directMarketing=true");
          ConsentDatabase db = context.getBean(ConsentDatabase.class);
          assertThat(db.memberships().run(run.report().runId())).isPresent();

          // Two object to direct marketing: the activation check leaves them out.
          ledger.append(EventDraft.of(ledger.keyOf(SubjectId.of("C1")),
              PurposeId.of("marketing-segmentation"), EventType.OBJECTION,
              Instant.parse("2026-02-01T00:00:00Z"), EventSource.API, "crm"));
          ledger.append(EventDraft.of(ledger.keyOf(SubjectId.of("C2")),
              PurposeId.of("marketing-segmentation"), EventType.OBJECTION,
              Instant.parse("2026-02-01T00:00:00Z"), EventSource.API, "crm"));
          var standing = context.getBean(Activations.class)
              .standing(run.report().runId(), Instant.parse("2026-03-01T00:00:00Z"));
          assertThat(standing.members()).isEqualTo(12);
          assertThat(standing.held()).isEqualTo(10);
        });
  }

  @Test
  void theRunsMetersCountStagesExclusionsAndTheBudgetLeft() {
    runner.withPropertyValues("privseg.pipelines.offers=classpath:segmentation/offers-dp.yaml")
        .run(context -> {
          assertThat(context).hasNotFailed();
          SimpleMeterRegistry registry = new SimpleMeterRegistry();
          context.getBean(PipelineMetrics.class).bindTo(registry);
          consent(context.getBean(ConsentLedger.class), 1, 12, EventType.CONSENT_GIVEN);
          consent(context.getBean(ConsentLedger.class), 13, 14, EventType.CONSENT_WITHDRAWN);

          context.getBean(SegmentationService.class).run("offers").join();
          assertThat(registry.get("privseg.run.excluded").tags("pipeline", "offers", "stage",
              "gate", "reason", "NO_BASIS").counter().count()).isEqualTo(8);
          assertThat(registry.get("privseg.run.processed").counter().count()).isEqualTo(12);
          assertThat(registry.get("privseg.run.stage").tags("pipeline", "offers", "stage",
              "segment").timer().count()).isEqualTo(1);
          assertThat(registry.get("privseg.budget.left").tag("budget", "offers/2026").gauge()
              .value()).isEqualTo(0.75); // 1/2 of an epsilon of 2 spent

          assertThatThrownBy(() -> context.getBean(SegmentationService.class).run("none"))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessage("no pipeline 'none'; there are [offers] (privseg.pipelines)");
        });
  }

  @Test
  void aFailedRunCompletesExceptionallyAndIsCounted() throws IOException {
    runner.withPropertyValues("privseg.pipelines.offers=classpath:segmentation/offers.yaml")
        .run(context -> {
          SimpleMeterRegistry registry = new SimpleMeterRegistry();
          context.getBean(PipelineMetrics.class).bindTo(registry);
          Files.delete(dir.resolve("customers.csv"));
          assertThatThrownBy(() -> context.getBean(SegmentationService.class).run("offers")
              .join()).isInstanceOf(CompletionException.class)
              .hasMessageContaining("pipeline 'offers' could not read its input");
          assertThat(registry.get("privseg.run.failures").tags("pipeline", "offers")
              .counter().count()).isEqualTo(1);
          assertThat(context.getBean(ConsentDatabase.class).memberships().runs()).isEmpty();
        });
  }

  @Test
  void mistakesStopTheApplicationAtStartNamingThePipeline() {
    runner.withPropertyValues("privseg.pipelines.anon=classpath:segmentation/ephemeral.yaml")
        .run(context -> assertThat(context).getFailure().rootCause()
            .isInstanceOf(dev.privseg.core.ConfigurationException.class)
            .hasMessage("pipeline 'anon' (classpath:segmentation/ephemeral.yaml): its runs' "
                + "memberships could not be registered; give it pseudonymize.key: "
                + "{directory: true}, whose pseudonyms erasure finds"));
    runner.withPropertyValues("privseg.pipelines.offers=classpath:segmentation/nowhere.yaml")
        .run(context -> assertThat(context).getFailure().rootCause()
            .hasMessage("privseg.pipelines.offers: no spec at "
                + "classpath:segmentation/nowhere.yaml"));
    runner.withPropertyValues("privseg.pipelines.offers=classpath:segmentation/misnamed.yaml")
        .run(context -> assertThat(context).getFailure().rootCause()
            .isInstanceOf(dev.privseg.core.ConfigurationException.class)
            .hasMessageStartingWith("pipeline 'offers' (classpath:segmentation/misnamed.yaml): ")
            .hasMessageContaining("spending"));
    runner.withPropertyValues("privseg.pipelines.offers=classpath:segmentation/offers.yaml")
        .withClassLoader(new org.springframework.boot.test.context.FilteredClassLoader(
            "dev.privseg.spec"))
        .run(context -> assertThat(context).getFailure().rootCause()
            .hasMessage("privseg.pipelines names pipelines, but privseg-spec, which reads and "
                + "runs them, is not on the class path: add the dev.privseg:privseg-spec "
                + "dependency"));
    runner.run(context -> assertThat(context).hasNotFailed()
        .doesNotHaveBean(SegmentationService.class));
  }
}
