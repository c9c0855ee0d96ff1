package dev.privseg.examples;

import dev.privseg.anonymization.dp.PrivacyAccountant;
import dev.privseg.consent.Activation;
import dev.privseg.consent.Activations;
import dev.privseg.consent.ComplianceMonitor;
import dev.privseg.consent.ComplianceStatus;
import dev.privseg.consent.ConsentGate;
import dev.privseg.consent.directory.DirectoryPseudonymizer;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.consent.rights.RequestType;
import dev.privseg.consent.rights.SubjectRequest;
import dev.privseg.consent.rights.SubjectRights;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.SubjectId;
import dev.privseg.core.minimize.Coarsen;
import dev.privseg.core.pipeline.RunOptions;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.segment.kmeans.KMeans;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A month in a CRM, November 2026, on one consent database: on the 1st the customers are
 * segmented for e-mail marketing and the run is registered; through the month consents change
 * (some customers withdraw in the preference centre, some object, one asks to be erased, and
 * two-year consents lapse), so the run goes stale; on the 15th an activation for e-mail hands
 * over only the members whose basis still holds; an access request received on the 5th is served
 * on the 12th, within its GDPR month; customers who sign up on the 18th join the run's segments
 * on the 20th without a new fit (an incremental assignment, registered too); on the 30th the compliance status shows the stale run, the activation, no overdue
 * request and the ledger intact, and the records of processing (Art. 30) are generated; both are
 * written as JSON and as pages.
 *
 * <p>Run it with {@code java -cp examples/target/privseg-cli.jar
 * dev.privseg.examples.MonthInACrm [customers] [directory]}.
 */
public final class MonthInACrm {
  private MonthInACrm() {}

  /** The 1st of the month, midnight UTC. */
  static final Instant FIRST = SyntheticCustomers.AS_OF;

  /**
   * What the month came to.
   *
   * @param runId the month's run
   * @param segmented its members on the 1st
   * @param activated the activation of the 15th
   * @param served the access request, answered
   * @param status the status on the 30th
   * @param register the records of processing (Art. 30) on the 30th
   * @param joined the incremental assignment of the 20th: the sign-ups in the run's segments
   */
  public record Month(String runId, int segmented, Activation activated, SubjectRequest served,
      ComplianceStatus status, dev.privseg.consent.RecordsOfProcessing register,
      SegmentationRun joined) {}

  /**
   * Runs the month for {@code args[0]} (default 5,000) customers; writes the status and the
   * records of processing, as JSON and HTML, into directory {@code args[1]} (default: a new one).
   */
  public static void main(String[] args) throws Exception {
    if (System.getProperty("org.slf4j.simpleLogger.log.org.flywaydb") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.org.flywaydb", "warn");
    }
    int customers = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    Path dir = Files.createTempDirectory("privseg-month");
    try (ConsentDatabase db = ConsentDatabase.h2(dir.resolve("consent-db"))) {
      Month m = run(db, KeyProvider.ephemeral(), customers);
      ComplianceStatus.Run run = m.status().runs().stream()
        .filter(r -> r.runId().equals(m.runId())).findFirst().orElseThrow();
      System.out.printf("1 Nov: run %s segmented %,d customers%n", m.runId(), m.segmented());
      System.out.printf("5-12 Nov: access request %s received %s, answered %s (due %s)%n",
          m.served().requestId(), m.served().receivedAt(), m.served().closedAt(),
          m.served().dueAt());
      System.out.printf("15 Nov: e-mail activation: %,d of %,d members allowed, left out %s%n",
          m.activated().allowed(), m.activated().members(), m.activated().excluded());
      System.out.printf("20 Nov: %,d sign-ups assigned to the run's segments (%s)%n",
          m.joined().assignments().size(), m.joined().report().segmentation().algorithm());
      System.out.printf("30 Nov: run stale: %s, %,d with a basis, lost %s; %d overdue "
          + "request(s); ledger %s%n", run.stale(), run.allowed(), run.lost(),
          m.status().requests().overdue(), m.status().ledger().intact() ? "intact" : "BROKEN");
      Path out = args.length > 1 ? Path.of(args[1]) : dir;
      Files.createDirectories(out);
      Files.writeString(out.resolve("status.json"), m.status().toJson());
      dev.privseg.pages.StatusPage.write(m.status(), out.resolve("status.html"));
      Files.writeString(out.resolve("ropa.json"), m.register().toJson());
      dev.privseg.pages.ProcessingRecordsPage.write(m.register(), out.resolve("ropa.html"));
      System.out.println("status and records of processing (Art. 30), JSON and HTML, in "
          + out);
    }
  }

  /** The month on {@code db}, keyed with {@code keys}, for {@code customers} customers. */
  public static Month run(ConsentDatabase db, KeyProvider keys, int customers) {
    ConsentLedger ledger = db.ledger(SubjectKeyer.from(keys));
    SyntheticCustomers.Population population = SyntheticCustomers.generate(customers, 7);
    DemoPipeline.recordConsents(ledger, population);
    DirectoryPseudonymizer pseudonyms = DirectoryPseudonymizer.of(ledger);

    // 1 Nov: the month's segmentation, registered so its members can be checked later.
    SegmentationRun run = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(ConsentGate.of(ledger, List.of(DemoPipeline.POLICY)))
        .minimize(MonthInACrm::minimize)
        .pseudonymize("customer_id", pseudonyms)
        .segmentWith(KMeans.clusters(5).seed(1))
        .releaseProfiles(p -> p.minSegmentSize(25))
        .build().run(population.customers(), RunOptions.defaults().at(day(1)));
    db.memberships().register(run, "Customers are grouped by age band, region, tenure, "
        + "orders, spend, recency and channel to choose which e-mail offers they receive.");

    SubjectRights rights = new SubjectRights(ledger, List.of(DemoPipeline.POLICY), pseudonyms,
        db.memberships(), db.requestLog());
    List<String> members = population.consentedSubjects();

    // Through the month: withdrawals, objections and an erasure.
    SplittableRandom random = new SplittableRandom(11);
    List<EventDraft> changes = new ArrayList<>();
    for (String id : members) {
      int roll = random.nextInt(100);
      if (roll < 6 || roll == 99) {
        changes.add(EventDraft.of(ledger.keyOf(SubjectId.of(id)),
            Purposes.MARKETING_SEGMENTATION.id(), roll == 99 ? EventType.OBJECTION
                : EventType.CONSENT_WITHDRAWN, day(2 + random.nextInt(12)),
            EventSource.WEB_FORM, "preference-centre"));
      }
    }
    ledger.appendAll(changes);
    SubjectRequest received = rights.receive(SubjectId.of(members.get(1)), RequestType.ACCESS,
        day(5), "dpo");
    rights.access(SubjectId.of(members.get(1)), day(12), "dpo");
    rights.erase(SubjectId.of(members.get(2)), day(13), "dpo");

    // 15 Nov: the e-mail campaign gets only the members whose basis holds today.
    Activation activation = new Activations(ledger, List.of(DemoPipeline.POLICY),
        db.memberships(), db.activations()).activate(run.report().runId(), "email", day(15),
            "campaign-team", (pseudonym, segment) -> { });

    // 18 Nov: some customers who had never consented sign up for offers; 20 Nov: they join the
    // month's segments, placed by its saved centroids without a new fit, and are registered.
    java.util.Set<String> before = new java.util.HashSet<>(members);
    dev.privseg.core.dataset.StringColumn ids = population.customers()
        .column("customer_id", dev.privseg.core.dataset.StringColumn.class);
    List<Integer> signUpRows = new ArrayList<>();
    List<EventDraft> signUps = new ArrayList<>();
    for (int r = 0; r < ids.size() && signUps.size() < customers / 20; r++) {
      SubjectId id = SubjectId.of(ids.get(r));
      if (!before.contains(ids.get(r)) && !ledger.isErased(id)) {
        signUpRows.add(r);
        signUps.add(EventDraft.of(ledger.keyOf(id), Purposes.MARKETING_SEGMENTATION.id(),
            EventType.CONSENT_GIVEN, day(18), EventSource.WEB_FORM, "signup-form"));
      }
    }
    ledger.appendAll(signUps);
    SegmentationRun joined = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(ConsentGate.of(ledger, List.of(DemoPipeline.POLICY)))
        .minimize(MonthInACrm::minimize)
        .pseudonymize("customer_id", pseudonyms)
        .assignTo(db.memberships().model(run.report().runId()).orElseThrow())
        .releaseProfiles(p -> p.minSegmentSize(25))
        .build().run(population.customers().select(signUpRows.stream().mapToInt(i -> i)
            .toArray()), RunOptions.defaults().at(day(20)));
    db.memberships().register(joined, "Customers who signed up since the 1st, placed in the "
        + "1st's segments by their nearest centre.");

    // 30 Nov: where the business stands.
    ComplianceStatus status = ComplianceMonitor.forLedger(ledger)
        .policies(List.of(DemoPipeline.POLICY))
        .runs(db.memberships(), db.activations())
        .requests(db.requestLog())
        .budgets(() -> PrivacyAccountant.budgets(db.spendLog()))
        .keepRunsFor(Period.ofDays(90))
        .dueSoonWithin(Duration.ofDays(7))
        .build()
        .status(day(30));
    SubjectRequest served = db.requestLog().find(received.requestId()).orElseThrow();
    dev.privseg.consent.RecordsOfProcessing register = dev.privseg.consent.ProcessingRegister
        .controller("Example Retail Ltd", "privacy@example.com")
        .dpo("dpo@example.com")
        .purpose(Purposes.MARKETING_SEGMENTATION.id().value(),
            List.of("customers who consented to e-mail offers"),
            List.of("e-mail service provider (processor)"), List.of())
        .keepRunsFor(Period.ofDays(90))
        .build().generate(db.memberships(), day(30));
    return new Month(run.report().runId(), run.assignments().size(), activation, served, status,
        register, joined);
  }

  /** What the month's segments are made of, for the run and for the sign-ups alike. */
  private static void minimize(dev.privseg.core.minimize.Minimization m) {
    m.keep("age", "region", "tenure_months", "orders_12m", "spend_12m", "days_since_last_order",
            "preferred_channel")
        .dropEverythingElse()
        .coarsen("age", Coarsen.bands(18, 25, 35, 45, 55, 65));
  }

  /** Day {@code d} of the month, 09:00 UTC. */
  static Instant day(int d) {
    return FIRST.plusSeconds((d - 1) * 86_400L + 9 * 3_600L);
  }
}
