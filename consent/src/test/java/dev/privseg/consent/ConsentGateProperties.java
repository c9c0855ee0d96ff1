package dev.privseg.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.ledger.ConsentEvent;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.core.PurposeId;
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
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * "No subject without a valid lawful basis reaches an output": random event histories through
 * the ledger-backed gate and a whole pipeline run, checked against a plain reading of the rules.
 */
class ConsentGateProperties {
  static final KeyProvider KEYS = KeyProvider.ephemeral();
  static final PurposeId MARKETING = Purposes.MARKETING_SEGMENTATION.id();
  static final EventType[] TYPES = EventType.values();
  static final Schema SCHEMA = Schema.builder().subjectId("id")
      .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
      .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER).build();

  @Property(tries = 60)
  void noSubjectWithoutAValidLawfulBasisReachesAnOutput(
      @ForAll @IntRange(min = 10, max = 120) int subjects, @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 400) int atDay) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    ConsentLedger ledger = ConsentLedger.inMemory(Fixtures.KEYER);
    List<EventDraft> drafts = new ArrayList<>();
    for (int s = 0; s < subjects; s++) {
      int events = random.nextInt(5);
      for (int e = 0; e < events; e++) {
        EventType type = TYPES[random.nextInt(TYPES.length)];
        PurposeId purpose = random.nextInt(6) == 0 && !type.givesConsent()
            ? ConsentEvent.ALL_PURPOSES // consent is always for one purpose
            : random.nextInt(5) == 0 ? PurposeId.of("other") : MARKETING;
        drafts.add(new EventDraft(Fixtures.key("S" + s), purpose, type,
            Fixtures.day(random.nextInt(400)), EventSource.API, "", "property", ""));
      }
    }
    if (!drafts.isEmpty()) {
      ledger.appendAll(drafts);
    }
    Instant at = Fixtures.day(atDay);
    ConsentPolicy policy = ConsentPolicy.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .consentExpiresAfter(Period.ofDays(200)).directMarketing(true)
        .optOutOfSaleOrSharingExcludes(true).build();

    Set<String> lawful = new HashSet<>();
    for (int s = 0; s < subjects; s++) {
      if (plainReading(ledger.history(Fixtures.key("S" + s)), at)) {
        lawful.add("S" + s);
      }
    }
    DatasetBuilder b = Dataset.builder(SCHEMA);
    for (int s = 0; s < subjects; s++) {
      b.setText(0, "S" + s);
      b.setNumber(1, random.nextDouble() * 100);
      b.setNumber(2, 18 + random.nextInt(60));
      b.endRow();
    }
    if (lawful.size() < 2) {
      return; // two segments need two subjects
    }
    SegmentationRun run = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(ConsentGate.of(ledger, List.of(policy)))
        .minimize(m -> m.keep("spend", "age"))
        .pseudonymize("id", Pseudonymizer.hmacSha256(KEYS))
        .segmentWith(KMeans.clusters(2).seed(1))
        .build().run(b.build(), RunOptions.defaults().at(at));

    Pseudonymizer p = Pseudonymizer.hmacSha256(KEYS);
    Set<String> lawfulPseudonyms = new HashSet<>();
    lawful.forEach(id -> lawfulPseudonyms.add(p.pseudonymize(SubjectId.of(id)).value()));
    Set<String> assigned = new HashSet<>();
    for (int i = 0; i < run.assignments().size(); i++) {
      assigned.add(run.assignments().pseudonym(i));
    }
    assertThat(assigned).isEqualTo(lawfulPseudonyms);
    assertThat(run.report().counts().excludedByGate().values().stream()
        .mapToLong(Long::longValue).sum()).isEqualTo(subjects - lawful.size());
  }

  /**
   * The rules read plainly, replaying the subject's marketing and all-purpose events in order of
   * effect up to {@code at}: erased, restricted, objected or opted out means no; otherwise the
   * last consent given must not have been withdrawn or expired since, and be under 200 days old.
   */
  static boolean plainReading(List<ConsentEvent> history, Instant at) {
    Instant given = null;
    boolean objected = false;
    boolean optedOut = false;
    boolean restricted = false;
    for (ConsentEvent e : history) {
      if (!e.concerns(MARKETING) || e.occurredAt().isAfter(at)) {
        continue;
      }
      switch (e.type()) {
        case ERASURE:
          return false;
        case CONSENT_GIVEN:
        case EXPLICIT_CONSENT_GIVEN:
          given = e.occurredAt();
          break;
        case CONSENT_WITHDRAWN:
        case CONSENT_EXPIRED:
          given = null;
          break;
        case OBJECTION:
          objected = true;
          break;
        case OBJECTION_WITHDRAWN:
          objected = false;
          break;
        case OPT_OUT_OF_SALE_OR_SHARING:
          optedOut = true;
          break;
        case OPT_IN_TO_SALE_OR_SHARING:
          optedOut = false;
          break;
        case RESTRICTION:
          restricted = true;
          break;
        case RESTRICTION_LIFTED:
          restricted = false;
          break;
        default:
          break;
      }
    }
    return given != null && !objected && !optedOut && !restricted
        && given.plus(java.time.Duration.ofDays(200)).isAfter(at);
  }
}
