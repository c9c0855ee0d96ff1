package dev.privseg.consent;

import static dev.privseg.consent.Fixtures.day;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.consent.directory.InMemorySubjectDirectory;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.rights.MembershipRegistry;
import dev.privseg.consent.store.InMemoryLedgerStore;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.pipeline.SegmentationRun;
import java.time.Period;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The records of processing come from what ran: each configured purpose's activity lists the
 * fields its runs used and dropped, the measures their records show, the runs as evidence with
 * their record digests; a purpose run but not configured is listed, saying so; a purpose
 * configured but not run has no evidence. No personal value appears.
 */
class ProcessingRegisterTest {
  @Test
  void theRecordsOfProcessingComeFromTheRunsRegistered() {
    ConsentLedger ledger = ConsentLedger.open(new InMemoryLedgerStore(), Fixtures.KEYER,
        new InMemorySubjectDirectory());
    MembershipRegistry registry = MembershipRegistry.inMemory();
    LawfulBasisGate everyone = LawfulBasisGate.allowList(IntStream.range(0, 30)
        .mapToObj(i -> "C" + i).toList());
    SegmentationRun first = ActivationProperties.spendRun(ledger, everyone, 30, day(1));
    SegmentationRun second = ActivationProperties.spendRun(ledger, everyone, 30, day(8));
    registry.register(first, "spend segments");
    registry.register(second, "spend segments");

    RecordsOfProcessing records = ProcessingRegister.controller("Example Retail Ltd",
            "privacy@example.com")
        .dpo("dpo@example.com")
        .purpose("marketing-segmentation", List.of("customers who consented to offers"),
            List.of("e-mail service provider (processor)"), List.of())
        .purpose("churn-prediction", List.of("customers"), List.of(), List.of())
        .keepRunsFor(Period.ofDays(90))
        .build()
        .generate(registry, day(10));

    assertThat(records.controller()).isEqualTo("Example Retail Ltd");
    assertThat(records.dpoContact()).isEqualTo("dpo@example.com");
    assertThat(records.activities()).extracting(RecordsOfProcessing.Activity::purpose)
        .containsExactly("marketing-segmentation", "churn-prediction");
    RecordsOfProcessing.Activity marketing = records.activities().get(0);
    assertThat(marketing.lawfulBasis()).isEqualTo(first.report().purpose().lawfulBasis());
    assertThat(marketing.description()).isEqualTo(first.report().purpose().description());
    assertThat(marketing.dataCategories()).containsExactly("spend");
    assertThat(marketing.dataMinimised()).isEqualTo(first.report().fields().dropped());
    assertThat(marketing.recipients()).containsExactly("e-mail service provider (processor)");
    assertThat(marketing.transfers()).isEmpty();
    assertThat(marketing.retention()).containsExactly("registered runs and their segment "
        + "memberships are kept for P90D, then forgotten");
    assertThat(marketing.measures()).anyMatch(m -> m.startsWith("pseudonymisation: id "
        + "replaced by"))
        .anyMatch(m -> m.startsWith("segment profiles released only for segments of at least 1"));
    assertThat(marketing.runs()).extracting(RecordsOfProcessing.RunEvidence::runId)
        .containsExactlyInAnyOrder(first.report().runId(), second.report().runId());
    assertThat(marketing.runs()).allSatisfy(r -> {
      assertThat(r.processedRows()).isEqualTo(30);
      assertThat(r.recordDigest()).hasSize(64);
      assertThat(r.guarantees()).isNotEmpty();
    });
    assertThat(records.activities().get(1).runs()).isEmpty();

    String json = records.toJson();
    assertThat(json).contains("\"dataMinimised\"", "\"recordDigest\"")
        .doesNotContainPattern("\"C[0-9]+\"");
    for (int i = 0; i < first.assignments().size(); i++) {
      assertThat(json).doesNotContain(first.assignments().pseudonym(i));
    }

    // A purpose run but never configured is listed, saying what is missing.
    RecordsOfProcessing unconfigured = ProcessingRegister.controller("Example Retail Ltd",
        "privacy@example.com").build().generate(registry, day(10));
    assertThat(unconfigured.activities()).singleElement().satisfies(a -> {
      assertThat(a.subjectCategories()).containsExactly("(not configured: add it to the "
          + "register)");
      assertThat(a.runs()).hasSize(2);
    });
  }

  @Test
  void mistakesInTheConfigurationAreNamed() {
    ProcessingRegister.Builder b = ProcessingRegister.controller("Example Retail Ltd",
        "privacy@example.com").purpose("marketing-segmentation", List.of("customers"),
        List.of(), List.of());
    assertThatThrownBy(() -> b.purpose("marketing-segmentation", List.of("customers"),
        List.of(), List.of())).isInstanceOf(ConfigurationException.class)
        .hasMessage("purpose 'marketing-segmentation' is configured twice");
    assertThatThrownBy(() -> b.purpose("other", List.of(), List.of(), List.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("purpose 'other' needs at least one category of data subjects");
    assertThatThrownBy(() -> ProcessingRegister.controller(" ", "x"))
        .isInstanceOf(ConfigurationException.class);
  }
}
