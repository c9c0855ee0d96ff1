package dev.privseg.examples;

import dev.privseg.anonymization.dp.DpKMeans;
import dev.privseg.anonymization.dp.DpProfiles;
import dev.privseg.anonymization.dp.PrivacyAccountant;
import dev.privseg.anonymization.dp.Rational;
import dev.privseg.consent.ConsentGate;
import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.SubjectId;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.minimize.Coarsen;
import dev.privseg.core.pipeline.SegmentationPipeline;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.release.ProfileMechanism;
import dev.privseg.core.segment.kmeans.KMeans;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;

/**
 * The pipeline the {@code privseg demo} command runs over {@link SyntheticCustomers}: the example
 * to copy when wiring privseg into a CRM. Consents go into a {@link ConsentLedger}, and the
 * ledger-backed {@link ConsentGate} decides who may be segmented.
 */
public final class DemoPipeline {
  private DemoPipeline() {}

  /** Marketing consent lapses after two years in the demo's policy. */
  public static final ConsentPolicy POLICY = ConsentPolicy
      .forPurpose(Purposes.MARKETING_SEGMENTATION)
      .consentExpiresAfter(Period.ofYears(2))
      .directMarketing(true)
      .optOutOfSaleOrSharingExcludes(true)
      .build();

  /** An in-memory ledger holding every consent given and withdrawn in {@code population}. */
  public static ConsentLedger ledger(SyntheticCustomers.Population population, KeyProvider keys) {
    ConsentLedger ledger = ConsentLedger.inMemory(SubjectKeyer.from(keys));
    recordConsents(ledger, population);
    return ledger;
  }

  /**
   * Appends every consent given and withdrawn in {@code population} to {@code ledger}, in
   * batches of 10,000 events (one transaction each in a JDBC store).
   */
  public static void recordConsents(ConsentLedger ledger,
      SyntheticCustomers.Population population) {
    List<EventDraft> drafts = new ArrayList<>(population.consents().size() * 11 / 10);
    List<SubjectId> subjects = new ArrayList<>(population.consents().size());
    population.consents().forEach(h -> subjects.add(SubjectId.of(h.subjectId())));
    List<java.util.Optional<SubjectKey>> keys = ledger.keysOf(subjects);
    for (int i = 0; i < subjects.size(); i++) {
      SyntheticCustomers.ConsentHistory h = population.consents().get(i);
      // A generated population has no erased subjects; in a host's ledger, skip the empty keys.
      SubjectKey subject = keys.get(i).orElseThrow();
      drafts.add(new EventDraft(subject, Purposes.MARKETING_SEGMENTATION.id(),
          EventType.CONSENT_GIVEN, h.givenAt(), EventSource.WEB_FORM, "notice-2024-01",
          "signup-form", ""));
      h.withdrawnAt().ifPresent(w -> drafts.add(EventDraft.of(subject,
          Purposes.MARKETING_SEGMENTATION.id(), EventType.CONSENT_WITHDRAWN, w,
          EventSource.WEB_FORM, "preference-centre")));
    }
    for (int from = 0; from < drafts.size(); from += 10_000) {
      ledger.appendAll(drafts.subList(from, Math.min(drafts.size(), from + 10_000)));
    }
  }

  /**
   * Marketing segmentation on behaviour, age band, region and channel of the subjects
   * {@code gate} allows; e-mail, postcode, income and signup date are never used; ids leave as
   * HMAC pseudonyms.
   */
  public static SegmentationPipeline build(LawfulBasisGate gate, KeyProvider keys, int clusters,
      long seed, int minSegmentSize) {
    return build(gate, keys, clusters, seed, minSegmentSize, ProfileMechanism.exact());
  }

  /**
   * As {@link #build(LawfulBasisGate, KeyProvider, int, long, int)}, computing profiles with
   * {@code profiles}.
   */
  public static SegmentationPipeline build(LawfulBasisGate gate, KeyProvider keys, int clusters,
      long seed, int minSegmentSize, ProfileMechanism profiles) {
    return build(gate, keys, clusters, seed, minSegmentSize, profiles, 0);
  }

  /**
   * As {@link #build(LawfulBasisGate, KeyProvider, int, long, int, ProfileMechanism)}, and with
   * {@code kAnonymity} above 0 an anonymize stage: the quasi-identifiers kept (age band and region)
   * are generalized until every released row shares them with at least {@code kAnonymity - 1}
   * others, suppressing at most 1 % of rows.
   */
  public static SegmentationPipeline build(LawfulBasisGate gate, KeyProvider keys, int clusters,
      long seed, int minSegmentSize, ProfileMechanism profiles, int kAnonymity) {
    dev.privseg.core.pipeline.SegmentationBuilder b = builder(gate, keys);
    if (kAnonymity > 0) {
      b.anonymize(dev.privseg.anonymization.Anonymize.generalization(a -> a
          .hierarchy(dev.privseg.anonymization.hierarchy.Hierarchy.flat("age"))
          .hierarchy(dev.privseg.anonymization.hierarchy.Hierarchy.flat("region"))
          .kAnonymity(kAnonymity).suppressionLimit(0.01)));
    }
    return b.segmentWith(KMeans.clusters(clusters).seed(seed))
        .releaseProfiles(p -> p.minSegmentSize(minSegmentSize).mechanism(profiles))
        .build();
  }

  /**
   * Marketing segmentation with differentially private segments and profiles: a budget of
   * {@code epsilon}, half spent on DP k-means centres and half on DP profiles. It segments on
   * behaviour only (tenure, orders, spend, recency), each with declared bounds that fit a
   * customer base like the demo's: noise grows with every feature and with the width of its
   * bounds, so a DP run keeps few features and tight, honest bounds, and runs 6 noisy iterations
   * rather than 12. Segments must come from DP k-means (not plain k-means) for the profiles to be
   * differentially private, and there is no anonymize stage.
   */
  public static SegmentationPipeline buildDifferentiallyPrivate(LawfulBasisGate gate,
      KeyProvider keys, int clusters, long seed, int minSegmentSize, String epsilon) {
    Rational total = Rational.parse(epsilon);
    Rational half = new Rational(total.num(), total.den().multiply(
        java.math.BigInteger.TWO));
    PrivacyAccountant budget = PrivacyAccountant.withBudget(total, Rational.ZERO);
    DpKMeans centres = DpKMeans.clusters(clusters, budget, half).seed(seed)
        .iterations(6);
    DpProfiles.Builder profiles = DpProfiles.spending(budget, half);
    for (java.util.Map.Entry<String, long[]> b : DP_BOUNDS.entrySet()) {
      centres = centres.bounds(b.getKey(), b.getValue()[0], b.getValue()[1]);
      profiles.bounds(b.getKey(), b.getValue()[0], b.getValue()[1]);
    }
    return Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(gate)
        .minimize(m -> m
            .keep("tenure_months", "orders_12m", "spend_12m", "days_since_last_order")
            .dropEverythingElse())
        .pseudonymize("customer_id", Pseudonymizer.hmacSha256(keys))
        .segmentWith(centres)
        .releaseProfiles(p -> p.minSegmentSize(minSegmentSize).mechanism(profiles.build()))
        .build();
  }

  /** The declared range of every field the DP demo keeps: never derived from the data. */
  private static final java.util.Map<String, long[]> DP_BOUNDS = java.util.Map.of(
      "tenure_months", new long[] {0, 120},
      "orders_12m", new long[] {0, 60},
      "spend_12m", new long[] {0, 5_000},
      "days_since_last_order", new long[] {0, 365});

  /** The demo's gate, minimization and pseudonymization. */
  private static dev.privseg.core.pipeline.SegmentationBuilder builder(LawfulBasisGate gate,
      KeyProvider keys) {
    return Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(gate)
        .minimize(m -> m
            .keep("age", "region", "tenure_months", "orders_12m", "spend_12m",
                "days_since_last_order", "preferred_channel")
            .dropEverythingElse()
            .coarsen("age", Coarsen.bands(18, 25, 35, 45, 55, 65))
            .coarsen("spend_12m", Coarsen.topCode(10_000)))
        .pseudonymize("customer_id", Pseudonymizer.hmacSha256(keys));
  }

  /** The gate of the demo: {@link #POLICY} over {@code ledger}. */
  public static LawfulBasisGate gate(ConsentLedger ledger) {
    return ConsentGate.of(ledger, List.of(POLICY));
  }
}
