package dev.privseg.consent;

import static dev.privseg.consent.Fixtures.day;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.consent.directory.DirectoryPseudonymizer;
import dev.privseg.consent.directory.InMemorySubjectDirectory;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.rights.MembershipRegistry;
import dev.privseg.consent.rights.RequestLog;
import dev.privseg.consent.rights.SubjectRights;
import dev.privseg.consent.store.InMemoryLedgerStore;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.SubjectId;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.gate.BasisDecision;
import dev.privseg.core.pipeline.RunOptions;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.kmeans.KMeans;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * An activation never hands a channel a member without a lawful basis at the activation
 * instant, and never leaves out one who has it: after a run is registered, consents are
 * withdrawn, expire, are objected to, opted out of, restricted and erased at random, and each
 * member handed over is one the gate allows at that instant, exactly; the counts add up, and the
 * run's standing says who lost the basis and why.
 */
public class ActivationProperties {
  static final Schema SCHEMA = Schema.builder().subjectId("id")
      .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER).build();
  /** A direct-marketing policy whose consent expires after 40 days. */
  public static final ConsentPolicy POLICY = ConsentPolicy.forPurpose(Purposes.MARKETING_SEGMENTATION)
      .directMarketing(true).optOutOfSaleOrSharingExcludes(true)
      .consentExpiresAfter(Period.ofDays(40)).build();
  static final EventType[] LATER = {EventType.CONSENT_WITHDRAWN, EventType.CONSENT_GIVEN,
      EventType.OBJECTION, EventType.OPT_OUT_OF_SALE_OR_SHARING, EventType.RESTRICTION,
      EventType.RESTRICTION_LIFTED, EventType.ERASURE};

  @Property(tries = 60)
  void anActivationHandsOverExactlyTheMembersWhoseBasisHolds(@ForAll long seed,
      @ForAll @IntRange(min = 3, max = 60) int laterEvents,
      @ForAll @IntRange(min = 11, max = 70) int activatedOnDay) {
    SplittableRandom random = new SplittableRandom(seed);
    ConsentLedger ledger = ConsentLedger.open(new InMemoryLedgerStore(), Fixtures.KEYER,
        new InMemorySubjectDirectory());
    DirectoryPseudonymizer pseudonyms = DirectoryPseudonymizer.of(ledger);
    MembershipRegistry registry = MembershipRegistry.inMemory();
    SubjectRights rights = new SubjectRights(ledger, List.of(POLICY), pseudonyms, registry,
        RequestLog.inMemory());
    int n = 40;
    List<EventDraft> consents = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (random.nextInt(5) > 0) {
        consents.add(new EventDraft(ledger.keyOf(SubjectId.of("C" + i)),
            Purposes.MARKETING_SEGMENTATION.id(), EventType.CONSENT_GIVEN,
            day(1 + random.nextInt(5)), EventSource.WEB_FORM, "notice-1", "signup", ""));
      }
    }
    ledger.appendAll(consents);
    SegmentationRun run = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(ConsentGate.of(ledger, List.of(POLICY)))
        .minimize(m -> m.keep("spend"))
        .pseudonymize("id", pseudonyms)
        .segmentWith(KMeans.clusters(2).seed(1))
        .releaseProfiles(p -> p.minSegmentSize(1))
        .build().run(customers(n), RunOptions.defaults().at(day(10)));
    registry.register(run, "spend segments");
    for (int e = 0; e < laterEvents; e++) {
      SubjectId subject = SubjectId.of("C" + random.nextInt(n));
      EventType type = LATER[random.nextInt(LATER.length)];
      int on = 11 + random.nextInt(60);
      if (ledger.isErased(subject)) {
        continue;
      }
      if (type == EventType.ERASURE) {
        rights.erase(subject, day(on), "dpo");
      } else {
        ledger.append(new EventDraft(ledger.keyOf(subject),
            type == EventType.OPT_OUT_OF_SALE_OR_SHARING || type == EventType.RESTRICTION
                || type == EventType.RESTRICTION_LIFTED
                ? dev.privseg.consent.ledger.ConsentEvent.ALL_PURPOSES
                : Purposes.MARKETING_SEGMENTATION.id(), type, day(on), EventSource.WEB_FORM, "", "crm",
            ""));
      }
    }

    Activations activations = new Activations(ledger, List.of(POLICY), registry,
        ActivationLog.inMemory());
    Map<String, Integer> handed = new HashMap<>();
    Activation a = activations.activate(run.report().runId(), "email", day(activatedOnDay),
        "crm", handed::put);

    // Exactly the members the gate allows at that instant, with their segments.
    ConsentGate gate = ConsentGate.of(ledger, List.of(POLICY));
    Map<String, Integer> expected = new HashMap<>();
    Map<BasisDecision, Long> excluded = new HashMap<>();
    int members = 0;
    for (int i = 0; i < run.assignments().size(); i++) {
      String pseudonym = run.assignments().pseudonym(i);
      SubjectId subject = subjectOf(pseudonyms, pseudonym, n);
      if (subject == null) {
        continue; // erased: no longer a member
      }
      members++;
      BasisDecision d = gate.decide(subject, Purposes.MARKETING_SEGMENTATION,
          day(activatedOnDay));
      if (d == BasisDecision.ALLOWED) {
        expected.put(pseudonym, run.assignments().segment(i));
      } else {
        excluded.merge(d, 1L, Long::sum);
      }
    }
    assertThat(handed).isEqualTo(expected);
    assertThat(a.allowed()).isEqualTo(expected.size());
    assertThat(a.members()).isEqualTo(members);
    assertThat(a.excluded()).isEqualTo(excluded);

    RunStanding standing = activations.standing(run.report().runId(), day(activatedOnDay));
    assertThat(standing.held()).isEqualTo(expected.size());
    assertThat(standing.held() + standing.lostTotal()).isEqualTo(run.assignments().size());
    assertThat(standing.lost().getOrDefault(BasisDecision.ERASED, 0L)
        - excluded.getOrDefault(BasisDecision.ERASED, 0L))
        .isEqualTo(run.assignments().size() - members);
    // Every run at once (one pass over the directory) stands as each run alone.
    assertThat(activations.standings(day(activatedOnDay))).containsExactly(standing);
  }

  @Test
  void mistakesAreNamedAndNothingIsRecorded() {
    ConsentLedger plain = ConsentLedger.inMemory(Fixtures.KEYER);
    MembershipRegistry registry = MembershipRegistry.inMemory();
    ActivationLog log = ActivationLog.inMemory();
    Activations withoutDirectory = new Activations(plain, List.of(POLICY), registry, log);
    assertThatThrownBy(() -> withoutDirectory.activate("no-such-run", "email", day(1), "crm",
        (p, s) -> { }))
        .isInstanceOf(ConsentException.class)
        .hasMessage("run no-such-run is not registered: only registered runs can be checked or "
            + "activated");

    // A run pseudonymized with a key, not the directory: its members cannot be traced.
    for (int i = 0; i < 10; i++) {
      plain.append(Fixtures.event("C" + i, EventType.CONSENT_GIVEN, 1));
    }
    SegmentationRun keyed = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(ConsentGate.of(plain, List.of(POLICY)))
        .minimize(m -> m.keep("spend"))
        .pseudonymize("id", Pseudonymizer.hmacSha256(KeyProvider.ephemeral()))
        .segmentWith(KMeans.clusters(2).seed(1))
        .releaseProfiles(p -> p.minSegmentSize(1))
        .build().run(customers(10), RunOptions.defaults().at(day(2)));
    registry.register(keyed, "spend segments");
    String runId = keyed.report().runId();
    assertThatThrownBy(() -> withoutDirectory.standing(runId, day(3)))
        .isInstanceOf(ConsentException.class).hasMessageStartingWith("deciding a run's members "
            + "needs the subject directory");
    ConsentLedger withDirectory = ConsentLedger.open(new InMemoryLedgerStore(), Fixtures.KEYER,
        new InMemorySubjectDirectory());
    withDirectory.keyOf(SubjectId.of("C1"));
    assertThatThrownBy(() -> new Activations(withDirectory, List.of(POLICY), registry, log)
        .activate(runId, "email", day(3), "crm", (p, s) -> { }))
        .isInstanceOf(ConsentException.class)
        .hasMessage("none of the 10 members of run " + runId + " has a pseudonym of the "
            + "subject directory: the run was not pseudonymized through it "
            + "(DirectoryPseudonymizer), so its members cannot be traced to their consent");
    assertThatThrownBy(() -> new Activations(withDirectory, List.of(), registry, log)
        .standing(runId, day(3)))
        .isInstanceOf(ConsentException.class)
        .hasMessage("run " + runId + " is for purpose 'marketing-segmentation', for which no "
            + "policy is given: its members cannot be decided");
    assertThat(log.activations()).isEmpty();
  }

  /**
   * A k-means run over {@link #customers}{@code (n)} at {@code at}, its subjects decided by
   * {@code gate} and pseudonymized through {@code ledger}'s directory, so that its members can
   * be traced to their consent.
   */
  public static SegmentationRun spendRun(ConsentLedger ledger,
      dev.privseg.core.gate.LawfulBasisGate gate, int n, java.time.Instant at) {
    return Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(gate)
        .minimize(m -> m.keep("spend"))
        .pseudonymize("id", DirectoryPseudonymizer.of(ledger))
        .segmentWith(KMeans.clusters(2).seed(1))
        .releaseProfiles(p -> p.minSegmentSize(1))
        .build().run(customers(n), RunOptions.defaults().at(at));
  }

  /** Customers C0..C(n-1), each with a spend. */
  public static Dataset customers(int n) {
    DatasetBuilder b = Dataset.builder(SCHEMA);
    for (int i = 0; i < n; i++) {
      b.setText(0, "C" + i);
      b.setNumber(1, i * 10);
      b.endRow();
    }
    return b.build();
  }

  /** The subject whose directory pseudonym is {@code pseudonym}, or null if erased since. */
  private static SubjectId subjectOf(DirectoryPseudonymizer pseudonyms, String pseudonym,
      int n) {
    for (int i = 0; i < n; i++) {
      SubjectId s = SubjectId.of("C" + i);
      if (pseudonyms.existing(s).map(p -> p.value().equals(pseudonym)).orElse(false)) {
        return s;
      }
    }
    return null;
  }
}
