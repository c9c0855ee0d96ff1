package dev.privseg.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.consent.ConsentException;
import dev.privseg.consent.ConsentGate;
import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.directory.DirectoryPseudonymizer;
import dev.privseg.consent.directory.InMemorySubjectDirectory;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.consent.store.InMemoryLedgerStore;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.SubjectId;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.pipeline.RunOptions;
import dev.privseg.core.pipeline.SegmentationBuilder;
import dev.privseg.core.pipeline.SegmentationPipeline;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.segment.kmeans.KMeans;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline that pseudonymizes through a subject directory runs on Spark with the local run's
 * pseudonyms: the executors key the ids, the driver issues those still missing, and the rows
 * are joined to the directory (its table read by the executors; see
 * {@code SparkLedgerJdbcTest}) or to the pseudonyms the driver read from a directory only it
 * can open. A subject with no pseudonym stops the run, saying why, as locally.
 */
class SparkDirectoryPseudonymsTest {

  @Test
  void aDirectoryOnlyTheDriverOpensGivesTheLocalRunsPseudonyms(@TempDir Path dir)
      throws Exception {
    SparkSegmentationTest.Keys keys = SparkSegmentationTest.Keys.in(dir);
    int n = 6_000;
    ConsentLedger ledger = ledger(keys, n);
    SegmentationPipeline pipeline = pipeline(ConsentGate.of(ledger, List.of(
        ConsentPolicy.forPurpose(Purposes.MARKETING_SEGMENTATION).build())), ledger).build();
    List<Row> rows = SparkSegmentsProperties.rows(4, n);
    long issuedBefore = ledger.directory().orElseThrow().size();
    try (SparkRun spark = SparkSegmentation.of(pipeline, keys.reference()).partitions(3)
        .run(LocalSpark.session().createDataFrame(rows, SparkSegmentsProperties.STRUCT)
            .coalesce(3), SparkSegmentationTest.AT)) {
      SegmentationRun local = pipeline.run(
          LocalParity.localRows(rows, SparkSegmentsProperties.SCHEMA),
          RunOptions.defaults().at(SparkSegmentationTest.AT));
      assertThat(local.report().counts().excludedByGate()).containsKey("ERASED");
      assertThat(local.report().pseudonymization().method())
          .isEqualTo(DirectoryPseudonymizer.METHOD);
      LocalParity.assertSameRun(spark, local);
      // Every admitted subject had consented, so had an entry: nothing new was issued.
      assertThat(ledger.directory().orElseThrow().size()).isEqualTo(issuedBefore);
    }
  }

  @Test
  void subjectsWithoutAnEntryAreIssuedOneOnceAndTheLocalRunFindsIt(@TempDir Path dir)
      throws Exception {
    SparkSegmentationTest.Keys keys = SparkSegmentationTest.Keys.in(dir);
    int n = 5_000;
    ConsentLedger ledger = ConsentLedger.open(new InMemoryLedgerStore(),
        SubjectKeyer.from(keys.key()), new InMemorySubjectDirectory());
    // An allow-list admits subjects the directory has never seen.
    List<String> allowed = IntStream.range(0, n).filter(i -> i % 3 != 0)
        .mapToObj(i -> "C-" + i).toList();
    SegmentationPipeline pipeline = pipeline(LawfulBasisGate.allowList(allowed), ledger).build();
    List<Row> rows = SparkSegmentsProperties.rows(6, n);
    try (SparkRun spark = SparkSegmentation.of(pipeline, keys.reference()).partitions(2)
        .run(LocalSpark.session().createDataFrame(rows, SparkSegmentsProperties.STRUCT)
            .coalesce(2), SparkSegmentationTest.AT)) {
      long issued = ledger.directory().orElseThrow().size();
      assertThat(issued).isEqualTo(spark.report().counts().processedRows());
      SegmentationRun local = pipeline.run(
          LocalParity.localRows(rows, SparkSegmentsProperties.SCHEMA),
          RunOptions.defaults().at(SparkSegmentationTest.AT));
      LocalParity.assertSameRun(spark, local);
      assertThat(ledger.directory().orElseThrow().size()).isEqualTo(issued);
    }
  }

  @Test
  void anAdmittedSubjectWithoutAPseudonymStopsTheRunSayingWhy(@TempDir Path dir)
      throws Exception {
    SparkSegmentationTest.Keys keys = SparkSegmentationTest.Keys.in(dir);
    ConsentLedger ledger = ConsentLedger.open(new InMemoryLedgerStore(),
        SubjectKeyer.from(keys.key()), new InMemorySubjectDirectory());
    ledger.erase(SubjectId.of("C-7"), SparkSegmentationTest.AT.minusSeconds(60), "test");
    // The allow-list still admits C-7, whose directory entry erasure deleted.
    SegmentationPipeline pipeline = pipeline(LawfulBasisGate.allowList(
        IntStream.range(0, 400).mapToObj(i -> "C-" + i).toList()), ledger).build();
    List<Row> rows = SparkSegmentsProperties.rows(2, 400);
    assertThatThrownBy(() -> pipeline.run(
        LocalParity.localRows(rows, SparkSegmentsProperties.SCHEMA),
        RunOptions.defaults().at(SparkSegmentationTest.AT)))
        .isInstanceOf(ConsentException.class);
    assertThatThrownBy(() -> SparkSegmentation.of(pipeline, keys.reference())
        .run(LocalSpark.session().createDataFrame(rows, SparkSegmentsProperties.STRUCT),
            SparkSegmentationTest.AT))
        .isInstanceOf(ConsentException.class)
        .hasMessage("a subject the gate admitted has no pseudonym in the subject directory: it "
            + "was erased while the run was in progress (run again), or the directory's table "
            + "given is not the pipeline's directory")
        .hasMessageNotContaining("C-7");
  }

  @Test
  void withTheLedgersTablesThePseudonymsAreTheDirectoryTablesReadByTheExecutors(
      @TempDir Path dir) throws Exception {
    SparkSegmentationTest.Keys keys = SparkSegmentationTest.Keys.in(dir);
    ConsentLedger ledger = ledger(keys, 600);
    SegmentationPipeline pipeline = pipeline(ConsentGate.of(ledger, List.of(
        ConsentPolicy.forPurpose(Purposes.MARKETING_SEGMENTATION).build())), ledger).build();
    // The tables as rows whose every pseudonym is "p": the run's pseudonyms come from them,
    // not from the driver.
    List<org.apache.spark.sql.Dataset<Row>> tables = SparkLedgerEventsProperties
        .directoryTables(ledger.directory().orElseThrow());
    try (SparkRun run = SparkSegmentation.of(pipeline, keys.reference())
        .ledgerEvents(SparkLedgerEventsProperties.events(ledger, 2), tables.get(0),
            tables.get(1))
        .run(LocalSpark.session().createDataFrame(SparkSegmentsProperties.rows(5, 600),
            SparkSegmentsProperties.STRUCT), SparkSegmentationTest.AT)) {
      assertThat(run.assignments().collectAsList()).isNotEmpty()
          .allSatisfy(r -> assertThat(r.getString(0)).isEqualTo("p"));
    }
  }

  @Test
  void aLedgerKeyNamedOtherwiseIsReportedAsThat(@TempDir Path dir) throws Exception {
    SparkSegmentationTest.Keys keys = SparkSegmentationTest.Keys.in(dir);
    ConsentLedger ledger = ledger(keys, 200);
    SegmentationPipeline pipeline = pipeline(LawfulBasisGate.allowList(List.of("C-1")), ledger)
        .build();
    assertThatThrownBy(() -> SparkSegmentation.of(pipeline, keys.reference())
        .ledgerKey(ExecutorKey.environment("PRIVSEG_NO_SUCH_KEY"))
        .run(LocalSpark.session().createDataFrame(SparkSegmentsProperties.rows(1, 200),
            SparkSegmentsProperties.STRUCT), SparkSegmentationTest.AT))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("the executors' ledger key is env:PRIVSEG_NO_SUCH_KEY but the subject "
            + "directory's lookups are keyed with crm/v1; give the Spark run the ledger's key "
            + "(SparkSegmentation.ledgerKey)");
  }

  /** A pipeline that pseudonymizes through {@code ledger}'s directory. */
  private static SegmentationBuilder pipeline(dev.privseg.core.gate.LawfulBasisGate gate,
      ConsentLedger ledger) {
    return Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(gate)
        .minimize(m -> m.keep("age", "region", "spend", "orders").dropEverythingElse())
        .pseudonymize("id", DirectoryPseudonymizer.of(ledger))
        .segmentWith(KMeans.clusters(3).seed(4).maxIterations(20))
        .releaseProfiles(p -> p.minSegmentSize(20))
        .schema(SparkSegmentsProperties.SCHEMA);
  }

  /**
   * A ledger keyed through an in-memory directory in which most of {@code C-0 .. C-(n - 1)}
   * consented, some objected and one in forty was erased.
   */
  private static ConsentLedger ledger(SparkSegmentationTest.Keys keys, int n) {
    ConsentLedger ledger = ConsentLedger.open(new InMemoryLedgerStore(),
        SubjectKeyer.from(keys.key()), new InMemorySubjectDirectory());
    SplittableRandom random = new SplittableRandom(8);
    List<EventDraft> drafts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (random.nextInt(5) > 0) {
        drafts.add(new EventDraft(ledger.keyOf(SubjectId.of("C-" + i)),
            Purposes.MARKETING_SEGMENTATION.id(), random.nextInt(6) == 0 ? EventType.OBJECTION
                : EventType.CONSENT_GIVEN, SparkSegmentationTest.AT.minusSeconds(86_400),
            EventSource.API, "", "web", ""));
      }
    }
    ledger.appendAll(drafts);
    for (int i = 0; i < n; i += 40) {
      ledger.erase(SubjectId.of("C-" + i), SparkSegmentationTest.AT.minusSeconds(3_600), "test");
    }
    return ledger;
  }
}
