package dev.privseg.consent.rights;

import static dev.privseg.consent.Fixtures.day;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.privseg.consent.ConsentGate;
import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.Fixtures;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.SubjectId;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.pipeline.RunOptions;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.kmeans.KMeans;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubjectRightsTest {
  final ConsentLedger ledger = ConsentLedger.inMemory(Fixtures.KEYER);
  final ConsentPolicy policy = ConsentPolicy.forPurpose(Purposes.MARKETING_SEGMENTATION)
      .directMarketing(true).optOutOfSaleOrSharingExcludes(true).build();
  final Pseudonymizer pseudonymizer = Pseudonymizer.hmacSha256(KeyProvider.ephemeral());
  final MembershipRegistry registry = MembershipRegistry.inMemory();
  final RequestLog log = RequestLog.inMemory();
  final SubjectRights rights = new SubjectRights(ledger, List.of(policy), pseudonymizer,
      registry, log);

  static final Schema SCHEMA = Schema.builder().subjectId("id")
      .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER).build();

  Dataset customers() {
    DatasetBuilder b = Dataset.builder(SCHEMA);
    for (int i = 0; i < 40; i++) {
      b.setText(0, "C" + i);
      b.setNumber(1, i % 2 == 0 ? i : 1000 + i);
      b.endRow();
    }
    return b.build();
  }

  SegmentationRun run(int atDay) {
    return Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(ConsentGate.of(ledger, List.of(policy)))
        .minimize(m -> m.keep("spend"))
        .pseudonymize("id", pseudonymizer)
        .segmentWith(KMeans.clusters(2).seed(3))
        .releaseProfiles(p -> p.minSegmentSize(1))
        .build().run(customers(), RunOptions.defaults().at(day(atDay)));
  }

  void consentAll() {
    for (int i = 0; i < 40; i++) {
      ledger.append(Fixtures.event("C" + i, EventType.CONSENT_GIVEN, 1));
    }
  }

  @Test
  void accessExportListsEventsStatesPseudonymsAndSegmentsWithTheirLogic() throws Exception {
    consentAll();
    SegmentationRun first = run(2);
    registry.register(first, "k-means on yearly spend to tailor offers; segments are reviewed "
        + "by the marketing team before any campaign");

    AccessExport export = rights.access(SubjectId.of("C7"), day(3), "dpo-desk");

    JsonNode json = new ObjectMapper().readTree(export.toJson());
    assertThat(json.at("/format").asText()).isEqualTo("privseg-access-export/1");
    assertThat(json.at("/subject").asText()).isEqualTo("C7");
    assertThat(json.at("/events/0/type").asText()).isEqualTo("CONSENT_GIVEN");
    assertThat(json.at("/events/0/noticeVersion").asText()).isEqualTo("notice-2026-01");
    assertThat(json.at("/states/marketing-segmentation/decision").asText()).isEqualTo("ALLOWED");
    assertThat(json.at("/pseudonyms/0/value").asText())
        .isEqualTo(pseudonymizer.pseudonymize(SubjectId.of("C7")).value());
    assertThat(json.at("/segments/0/runId").asText()).isEqualTo(first.report().runId());
    assertThat(json.at("/segments/0/logic").asText()).contains("k-means on yearly spend");
    assertThat(export.toString()).doesNotContain("C7");
  }

  @Test
  void restrictionObjectionAndOptOutAreHonouredByTheNextRun() {
    consentAll();
    rights.restrict(SubjectId.of("C1"), day(2), "dpo-desk");
    rights.object(SubjectId.of("C2"), Purposes.MARKETING_SEGMENTATION.id(), day(2), "dpo-desk");
    rights.optOutOfSaleOrSharing(SubjectId.of("C3"), day(2), "web-form");

    SegmentationRun before = run(1);
    SegmentationRun after = run(3);

    assertThat(before.report().counts().processedRows()).isEqualTo(40);
    assertThat(after.report().counts().processedRows()).isEqualTo(37);
    assertThat(after.report().counts().excludedByGate()).containsEntry("RESTRICTED", 1L)
        .containsEntry("OBJECTED", 1L).containsEntry("OPTED_OUT", 1L);

    rights.liftRestriction(SubjectId.of("C1"), day(4), "dpo-desk");
    assertThat(run(5).report().counts().processedRows()).isEqualTo(38);
  }

  @Test
  void erasureExcludesFromEveryLaterRunAndForgetsMemberships() {
    consentAll();
    registry.register(run(2), "spend segments");
    String pseudonym = pseudonymizer.pseudonymize(SubjectId.of("C5")).value();
    assertThat(registry.memberships(pseudonym)).hasSize(1);

    rights.erase(SubjectId.of("C5"), day(3), "dpo-desk");
    ledger.append(Fixtures.event("C5", EventType.CONSENT_GIVEN, 4)); // a stale re-import

    SegmentationRun later = run(10);
    assertThat(later.report().counts().excludedByGate()).containsEntry("ERASED", 1L);
    for (int i = 0; i < later.assignments().size(); i++) {
      assertThat(later.assignments().pseudonym(i)).isNotEqualTo(pseudonym);
    }
    assertThat(registry.memberships(pseudonym)).isEmpty();
  }

  @Test
  void everyRequestIsLoggedWithoutPersonalValues() {
    consentAll();
    rights.access(SubjectId.of("C9"), day(2), "dpo-desk");
    rights.rectify(SubjectId.of("C9"), "postcode", day(2), "dpo-desk");
    assertThat(log.requests()).extracting(SubjectRequest::subjectKey)
        .containsOnly(Fixtures.key("C9").hex());
    rights.erase(SubjectId.of("C9"), day(3), "dpo-desk");

    assertThat(log.requests()).extracting(SubjectRequest::type).containsExactly(
        RequestType.ACCESS, RequestType.RECTIFICATION, RequestType.ERASURE);
    assertThat(log.requests()).allSatisfy(r -> {
      // After erasure the entries stay, naming no one.
      assertThat(r.subjectKey()).isEqualTo(SubjectRequest.UNLINKED);
      assertThat(r.toString()).doesNotContain("C9,").doesNotContain("=C9");
      assertThat(r.actor()).isEqualTo("dpo-desk");
    });
    assertThat(log.requests().get(1).outcome()).contains("'postcode'", "forwarded");
  }
}
