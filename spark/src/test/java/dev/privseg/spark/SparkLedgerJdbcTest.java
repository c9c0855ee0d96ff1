package dev.privseg.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.ConsentGate;
import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.directory.DirectoryPseudonymizer;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.core.Purposes;
import dev.privseg.core.SubjectId;
import dev.privseg.core.Segmentation;
import dev.privseg.core.minimize.Coarsen;
import dev.privseg.core.pipeline.RunOptions;
import dev.privseg.core.pipeline.SegmentationPipeline;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.segment.kmeans.ChunkedRows;
import dev.privseg.core.segment.kmeans.KMeans;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that reads the consent ledger's events from its database with Spark's JDBC source
 * (partitioned by sequence number) and folds them on the executors gives the local run's
 * outputs and record, to the last bit, as a run deciding from the snapshot does, with keyed
 * pseudonyms and with the subject directory's (joined from its table); so does a run
 * given the events of a ledger without a directory. Events for a gate that is not a ledger's are
 * refused.
 */
class SparkLedgerJdbcTest {
  private static final Instant AT = Instant.parse("2025-12-01T00:00:00Z");

  @Test
  void eventsAndPseudonymsReadFromTheLedgersDatabaseGiveTheLocalRun(@TempDir Path dir) throws Exception {
    SparkSegmentationTest.Keys keys = SparkSegmentationTest.Keys.in(dir);
    SubjectKeyer keyer = SubjectKeyer.from(keys.key());
    int n = ChunkedRows.CHUNK + 1_500;
    try (ConsentDatabase database = ConsentDatabase.h2(dir.resolve("consent"))) {
      // The database's ledger keys its events through the subject directory.
      ConsentLedger ledger = database.ledger(keyer);
      List<EventDraft> drafts = new ArrayList<>();
      SplittableRandom random = new SplittableRandom(3);
      EventType[] types = {EventType.CONSENT_GIVEN, EventType.CONSENT_GIVEN,
          EventType.CONSENT_WITHDRAWN, EventType.OBJECTION, EventType.RESTRICTION};
      for (int i = 0; i < n; i++) {
        for (int e = random.nextInt(3); e > 0; e--) {
          drafts.add(new EventDraft(ledger.keyOf(SubjectId.of("C-" + i)),
              Purposes.MARKETING_SEGMENTATION.id(), types[random.nextInt(types.length)],
              AT.minusSeconds(86_400L * (1 + random.nextInt(90))), EventSource.API, "", "web",
              ""));
        }
      }
      ledger.appendAll(drafts);
      for (int i = 0; i < n; i += 50) {
        ledger.erase(SubjectId.of("C-" + i), AT.minusSeconds(3_600), "test");
      }
      Properties user = new Properties();
      user.setProperty("user", "privseg");
      user.setProperty("password", "");
      String url = "jdbc:h2:file:" + dir.resolve("consent").toAbsolutePath()
          .resolve("consent-ledger") + ";IFEXISTS=TRUE";
      Dataset<Row> events = LocalSpark.session().read().jdbc(url, "privseg_consent_event",
          "seq", 1, ledger.size() + 1, 3, user);
      Dataset<Row> directory = LocalSpark.session().read().jdbc(url,
          "privseg_subject_directory", user);
      Dataset<Row> erased = LocalSpark.session().read().jdbc(url, "privseg_erased_subject",
          user);
      List<Row> rows = SparkSegmentsProperties.rows(3, n);
      // Keyed pseudonyms, and the directory's: read from its table by the executors.
      for (Pseudonymizer pseudonymizer : List.of(Pseudonymizer.hmacSha256(keys.key()),
          DirectoryPseudonymizer.of(ledger))) {
        SegmentationPipeline pipeline = Segmentation.forPurpose(
                Purposes.MARKETING_SEGMENTATION)
            .lawfulBasis(ConsentGate.of(ledger, List.of(ConsentPolicy.forPurpose(
                Purposes.MARKETING_SEGMENTATION).build())))
            .minimize(m -> m.keep("age", "region", "spend", "orders").dropEverythingElse()
                .coarsen("age", Coarsen.bands(10)))
            .pseudonymize("id", pseudonymizer)
            .segmentWith(KMeans.clusters(4).seed(3).maxIterations(30))
            .releaseProfiles(p -> p.minSegmentSize(20))
            .schema(SparkSegmentsProperties.SCHEMA).build();
        try (SparkRun spark = SparkSegmentation.of(pipeline, keys.reference()).partitions(2)
            .ledgerEvents(events, directory, erased)
            .run(LocalSpark.session().createDataFrame(rows, SparkSegmentsProperties.STRUCT)
                .coalesce(2), AT)) {
          SegmentationRun local = pipeline.run(
              LocalParity.localRows(rows, SparkSegmentsProperties.SCHEMA),
              RunOptions.defaults().at(AT));
          assertThat(local.report().counts().excludedByGate()).containsKeys("ERASED",
              "OBJECTED");
          assertThat(local.report().pseudonymization().method())
              .isEqualTo(pseudonymizer.description());
          LocalParity.assertSameRun(spark, local);
        }
      }
    }
  }

  @Test
  void eventsOfALedgerWithoutADirectoryDecideThroughThePublicApiAsTheLocalRun(@TempDir Path dir)
      throws Exception {
    SparkSegmentationTest.Keys keys = SparkSegmentationTest.Keys.in(dir);
    int n = 3_000;
    // In memory, keying events by lookup key: no directory.
    ConsentLedger ledger = SparkSegmentationTest.ledger(keys.key(), n, 9);
    SegmentationPipeline pipeline = SparkSegmentationTest.gated(keys.key(), ledger, 9)
        .minimize(m -> m.keep("age", "spend").dropEverythingElse()).build();
    List<Row> rows = SparkSegmentsProperties.rows(9, n);
    SegmentationRun local = pipeline.run(
        LocalParity.localRows(rows, SparkSegmentsProperties.SCHEMA),
        RunOptions.defaults().at(SparkSegmentationTest.AT));
    try (SparkRun spark = SparkSegmentation.of(pipeline, keys.reference()).partitions(2)
        .ledgerEvents(SparkLedgerEventsProperties.events(ledger, 2))
        .run(LocalSpark.session().createDataFrame(rows, SparkSegmentsProperties.STRUCT),
            SparkSegmentationTest.AT)) {
      assertThat(local.report().counts().excludedByGate()).isNotEmpty();
      LocalParity.assertSameRun(spark, local);
    }
  }

  @Test
  void ledgerEventsForAGateThatIsNotALedgersAreRefusedAsSuch() {
    SegmentationPipeline allowList = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(dev.privseg.core.gate.LawfulBasisGate.allowList(List.of("C-1")))
        .minimize(m -> m.keep("spend"))
        .pseudonymize("id", Pseudonymizer.hmacSha256(
            dev.privseg.core.pseudonymize.KeyProvider.ephemeral()))
        .segmentWith(KMeans.clusters(2)).schema(SparkSegmentsProperties.SCHEMA).build();
    SparkSegmentation spark = SparkSegmentation.of(allowList,
        ExecutorKey.environment("PRIVSEG_KEY"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> spark.ledgerEvents(
        SparkLedgerEventsProperties.events(ConsentLedger.inMemory(SubjectKeyer.from(
            dev.privseg.core.pseudonymize.KeyProvider.ephemeral())), 1)))
        .isInstanceOf(dev.privseg.core.ConfigurationException.class)
        .hasMessageStartingWith("the ledger's events decide a consent ledger's gate, but this "
            + "pipeline's gate is ");
  }
}
