package dev.privseg.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.DpiaEvidence;
import dev.privseg.consent.ProcessingRegister;
import dev.privseg.consent.directory.DirectoryPseudonymizer;
import dev.privseg.consent.directory.InMemorySubjectDirectory;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.consent.rights.MembershipRegistry;
import dev.privseg.consent.rights.RequestLog;
import dev.privseg.consent.rights.RequestType;
import dev.privseg.consent.rights.SubjectRights;
import dev.privseg.consent.store.InMemoryLedgerStore;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pipeline.RunOptions;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.release.ProfileMechanism;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The evidence for a DPIA of marketing segmentation, from a run with 5-anonymity: the risk
 * before and after is the run's record's, the guarantees are its, the requests are counted as
 * served on time, late or open.
 */
class DpiaEvidenceTest {
  @Test
  void theEvidenceIsWhatTheRunsMeasuredAndHowRequestsWereServed() {
    KeyProvider keys = KeyProvider.ephemeral();
    ConsentLedger ledger = ConsentLedger.open(new InMemoryLedgerStore(), SubjectKeyer.from(keys),
        new InMemorySubjectDirectory());
    SyntheticCustomers.Population population = SyntheticCustomers.generate(3_000, 5);
    DemoPipeline.recordConsents(ledger, population);
    Instant at = SyntheticCustomers.AS_OF;
    SegmentationRun run = DemoPipeline.build(DemoPipeline.gate(ledger), keys, 4, 1, 25,
        ProfileMechanism.exact(), 5).run(population.customers(), RunOptions.defaults().at(at));
    MembershipRegistry registry = MembershipRegistry.inMemory();
    registry.register(run, "offers by segment");
    RequestLog requests = RequestLog.inMemory();
    SubjectRights rights = new SubjectRights(ledger, List.of(DemoPipeline.POLICY),
        DirectoryPseudonymizer.of(ledger), registry, requests);
    String someone = population.consentedSubjects().get(0);
    rights.receive(SubjectId.of(someone), RequestType.ACCESS, at.minusSeconds(40L * 86_400),
        "dpo");
    rights.access(SubjectId.of(someone), at.minusSeconds(2L * 86_400), "dpo"); // late
    rights.receive(SubjectId.of(population.consentedSubjects().get(1)), RequestType.ACCESS,
        at.minusSeconds(86_400), "dpo");

    DpiaEvidence evidence = ProcessingRegister.controller("Example Retail Ltd",
            "privacy@example.com")
        .purpose("marketing-segmentation", List.of("customers"), List.of(), List.of())
        .build().dpia("marketing-segmentation", registry, requests, at);

    assertThat(evidence.risks()).singleElement().satisfies(r -> {
      assertThat(r.runId()).isEqualTo(run.report().runId());
      Map<String, Object> summary = run.report().anonymization().summary();
      assertThat(r.before()).isEqualTo(summary.get("riskBefore"));
      assertThat(r.after()).isEqualTo(summary.get("riskAfter"));
      assertThat(((Number) r.after().get("prosecutorHighest")).doubleValue())
          .isLessThanOrEqualTo(0.2);
      assertThat(r.rowsSuppressed()).isEqualTo(run.report().anonymization().rowsSuppressed());
    });
    assertThat(evidence.guarantees()).containsExactlyElementsOf(run.report().guarantees());
    assertThat(evidence.activity().runs()).hasSize(1);
    assertThat(evidence.requests()).isEqualTo(new DpiaEvidence.RequestsServed(
        Map.of("ACCESS", 2L), 1, 1, 1, 0));
    assertThat(evidence.toJson()).doesNotContain(someone);
  }
}
