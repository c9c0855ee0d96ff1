package dev.privseg.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.anonymization.model.PrivacyModel;
import dev.privseg.consent.ConsentGate;
import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.SubjectId;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.minimize.Coarsen;
import dev.privseg.core.pipeline.RunOptions;
import dev.privseg.core.pipeline.SegmentationBuilder;
import dev.privseg.core.pipeline.SegmentationPipeline;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.segment.kmeans.ChunkedRows;
import dev.privseg.core.segment.kmeans.KMeans;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole pipeline run on Spark through the public entry point gives the local run's outputs:
 * the same pseudonym in the same segment, row by row, the same profiles, and a record of the
 * same form with the same counts, fields, figures and guarantees.
 */
class SparkSegmentationTest {
  static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");

  /** A pipeline over a consent ledger, keyed with {@code key} for pseudonyms and the ledger. */
  static SegmentationBuilder pipeline(KeyProvider key, int subjects, long seed) {
    return pipeline(key, subjects, seed, KMeans.clusters(4).seed(seed).maxIterations(30));
  }

  /** As {@link #pipeline(KeyProvider, int, long)}, segmenting with {@code segmenter}. */
  static SegmentationBuilder pipeline(KeyProvider key, int subjects, long seed,
      dev.privseg.core.segment.Segmenter segmenter) {
    return gated(key, ledger(key, subjects, seed), segmenter)
        .minimize(m -> m.keep("age", "region", "channel", "spend", "orders", "last_order")
            .dropEverythingElse()
            .coarsen("age", Coarsen.bands(10))
            .coarsen("spend", Coarsen.topCode(900))
            .coarsen("last_order", Coarsen.toYear())
            .retainFor("last_order", Period.ofYears(3)));
  }

  /**
   * A pipeline over a consent ledger, keyed with {@code key} for pseudonyms and the ledger,
   * segmenting with k-means and releasing segments of 40 and more; minimization left to add.
   */
  static SegmentationBuilder gated(KeyProvider key, int subjects, long seed) {
    return gated(key, ledger(key, subjects, seed), seed);
  }

  /** As {@link #gated(KeyProvider, int, long)}, over {@code ledger}. */
  static SegmentationBuilder gated(KeyProvider key, ConsentLedger ledger, long seed) {
    return gated(key, ledger, KMeans.clusters(4).seed(seed).maxIterations(30));
  }

  /** As {@link #gated(KeyProvider, ConsentLedger, long)}, segmenting with {@code segmenter}. */
  static SegmentationBuilder gated(KeyProvider key, ConsentLedger ledger,
      dev.privseg.core.segment.Segmenter segmenter) {
    return Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(ConsentGate.of(ledger, List.of(
            ConsentPolicy.forPurpose(Purposes.MARKETING_SEGMENTATION).build())))
        .pseudonymize("id", Pseudonymizer.hmacSha256(key))
        .segmentWith(segmenter)
        .releaseProfiles(p -> p.minSegmentSize(40))
        .schema(SparkSegmentsProperties.SCHEMA);
  }

  /**
   * A ledger keyed with {@code key} (by lookup key: no directory) in which three subjects in
   * four of {@code C-0 .. C-(subjects - 1)} consented and one in eight objected.
   */
  static ConsentLedger ledger(KeyProvider key, int subjects, long seed) {
    ConsentLedger ledger = ConsentLedger.inMemory(SubjectKeyer.from(key));
    List<EventDraft> drafts = new ArrayList<>();
    SplittableRandom pick = new SplittableRandom(seed);
    for (int i = 0; i < subjects; i++) {
      int kind = pick.nextInt(8);
      if (kind < 6) {
        drafts.add(new EventDraft(SubjectKeyer.from(key).key(SubjectId.of("C-" + i)),
            Purposes.MARKETING_SEGMENTATION.id(), kind == 5 ? EventType.OBJECTION
                : EventType.CONSENT_GIVEN, AT.minusSeconds(86_400L * (1 + pick.nextInt(90))),
            EventSource.API, "", "web", ""));
      }
    }
    ledger.appendAll(drafts);
    return ledger;
  }

  /** A random key written to a file in {@code dir}, and the executors' reference to it. */
  record Keys(KeyProvider key, ExecutorKey reference) {
    static Keys in(Path dir) throws java.io.IOException {
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      Path keyFile = dir.resolve("crm.key");
      Files.writeString(keyFile, Base64.getEncoder().encodeToString(bytes));
      return new Keys(KeyProvider.of(new SecretKeySpec(bytes, "HmacSHA256"), "crm/v1"),
          ExecutorKey.file(keyFile.toString(), "crm/v1"));
    }
  }

  @Test
  void aRunOnSparkGivesTheLocalRunsOutputsAndRecord(@TempDir Path dir) throws Exception {
    Keys keys = Keys.in(dir);
    KeyProvider key = keys.key();
    int n = ChunkedRows.CHUNK * 2 + 1_234;
    List<Row> rows = SparkSegmentsProperties.rows(5, n);
    SegmentationPipeline pipeline = pipeline(key, n, 5).build();

    SegmentationRun local = pipeline.run(
        LocalParity.localRows(rows, SparkSegmentsProperties.SCHEMA),
        RunOptions.defaults().at(AT));

    try (SparkRun spark = SparkSegmentation.of(pipeline, keys.reference()).partitions(3)
        .run(LocalSpark.session().createDataFrame(rows, SparkSegmentsProperties.STRUCT)
            .coalesce(2), AT)) {
      LocalParity.assertSameRun(spark, local);
      assertThat(spark.report().stageMillis()).containsKeys("LAWFUL_BASIS", "MINIMIZE",
          "PSEUDONYMIZE", "SEGMENT", "RELEASE");
    }
  }

  @Test
  void whatDoesNotRunOnSparkYetIsRefusedBeforeAnyRowIsDecided() {
    KeyProvider key = KeyProvider.ephemeral();
    ExecutorKey reference = ExecutorKey.environment("PRIVSEG_KEY");
    LawfulBasisGate local = new LawfulBasisGate() {
      @Override
      public dev.privseg.core.gate.RunGate forRun(dev.privseg.core.Purpose purpose,
          Instant at) {
        return (subjects, out) -> { }; // a lambda: it cannot travel to an executor
      }

      @Override
      public String description() {
        return "the host's own gate";
      }
    };
    SegmentationPipeline ownGate = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(local).minimize(m -> m.keep("spend"))
        .pseudonymize("id", Pseudonymizer.hmacSha256(key))
        .segmentWith(KMeans.clusters(2)).schema(SparkSegmentsProperties.SCHEMA).build();
    assertThatThrownBy(() -> SparkSegmentation.of(ownGate, reference).run(LocalSpark.session()
        .createDataFrame(SparkSegmentsProperties.rows(1, 10), SparkSegmentsProperties.STRUCT)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("the lawful-basis gate (the host's own gate) cannot decide on "
            + "Spark's executors");
    SegmentationPipeline rules = pipeline(key, 10, 1,
        dev.privseg.core.segment.rules.RuleSegments.first("big spenders", "spend >= 500"))
        .build();
    assertThatThrownBy(() -> SparkSegmentation.of(rules, reference))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("the Spark engine segments with k-means, a Gaussian mixture, k-prototypes "
            + "or DP k-means (and segmenters that fit rows held in chunks, ChunkedSegmenter); "
            + "this pipeline's segmenter is " + rules.plan().segmenter().description()
            + ": run it on the local engine");
  }

  /** A field k-prototypes cannot use is refused on Spark in the local run's words. */
  @Test
  void aFieldKPrototypesCannotUseIsRefusedAsLocally(@TempDir Path dir) throws Exception {
    Keys keys = Keys.in(dir);
    int n = 500;
    List<Row> rows = SparkSegmentsProperties.rows(3, n);
    SegmentationPipeline pipeline = gated(keys.key(), ledger(keys.key(), n, 3),
        dev.privseg.core.segment.kprototypes.KPrototypes.clusters(2).seed(3))
        .minimize(m -> m.keep("spend", "last_order").dropEverythingElse()).build();
    String local = org.assertj.core.api.Assertions.catchThrowableOfType(
        ConfigurationException.class, () -> pipeline.run(
            LocalParity.localRows(rows, SparkSegmentsProperties.SCHEMA),
            RunOptions.defaults().at(AT))).getMessage();
    assertThat(local).contains("'last_order'", "DATE");
    assertThatThrownBy(() -> SparkSegmentation.of(pipeline, keys.reference()).run(
        LocalSpark.session().createDataFrame(rows, SparkSegmentsProperties.STRUCT), AT))
        .isInstanceOf(ConfigurationException.class).hasMessage(local);
  }

  /**
   * k-prototypes on Spark (numbers and category codes in chunks of their own) is the local one,
   * to the last bit, whatever the partitions: the same segments row by row and the same record,
   * stability refits included.
   */
  @Test
  void kPrototypesRunsOnSparkAsLocally(@TempDir Path dir) throws Exception {
    Keys keys = Keys.in(dir);
    int n = ChunkedRows.CHUNK * 2 + 321;
    List<Row> rows = SparkSegmentsProperties.rows(17, n);
    SegmentationPipeline pipeline = pipeline(keys.key(), n, 17,
        dev.privseg.core.segment.kprototypes.KPrototypes.clusters(3).seed(17).maxIterations(15))
        .stability(1).build();
    SegmentationRun local = pipeline.run(
        LocalParity.localRows(rows, SparkSegmentsProperties.SCHEMA),
        RunOptions.defaults().at(AT));
    assertThat(local.report().segmentation().details()).containsKey("cost");
    assertSameRunOnPartitions(pipeline, keys, rows, local, 2, 5);
  }

  /**
   * k-prototypes on anonymized rows, the anonymization's impact measured: the reference fit on
   * the original values (numbers and category codes of their own) gives the local figures.
   */
  @Test
  void kPrototypesMeasuresTheAnonymizationsImpactAsLocally(@TempDir Path dir) throws Exception {
    Keys keys = Keys.in(dir);
    int n = ChunkedRows.CHUNK + 913;
    List<Row> rows = SparkSegmentsProperties.rows(21, n);
    SegmentationPipeline pipeline = SparkAnonymizeProperties.pipeline(keys.key(), n, 21,
        SparkAnonymizeProperties.anonymizer(5, 1), true,
        dev.privseg.core.segment.kprototypes.KPrototypes.clusters(3).seed(21).maxIterations(10));
    SegmentationRun local = pipeline.run(
        LocalParity.localRows(rows, SparkSegmentsProperties.SCHEMA),
        RunOptions.defaults().at(AT));
    assertThat(local.report().anonymization().segmentationImpact()).isNotNull();
    assertSameRunOnPartitions(pipeline, keys, rows, local, 2, 3);
  }

  /**
   * A pipeline that anonymizes with Mondrian gives the local run's outputs and record on Spark
   * (the upper cuts made by the executors), its impact on the segments measured too, with
   * models beside k checked where the rows are (l-diversity, t-closeness); a model that cannot be
   * sent to the tasks (k-map, which holds its population) is refused before any row is read.
   */
  @Test
  void mondrianRunsOnSparkAsLocally(@TempDir Path dir) throws Exception {
    Keys keys = Keys.in(dir);
    int n = ChunkedRows.CHUNK * 2 + 555;
    List<Row> rows = SparkSegmentsProperties.rows(23, n);
    SegmentationPipeline pipeline = gated(keys.key(), ledger(keys.key(), n, 23), 23)
        .minimize(m -> m.keep("age", "spend", "orders").dropEverythingElse())
        .anonymize(dev.privseg.anonymization.mondrian.Mondrian.on("age").k(12))
        .measureAnonymizationImpact().build();
    SegmentationRun local = pipeline.run(
        LocalParity.localRows(rows, SparkSegmentsProperties.SCHEMA),
        RunOptions.defaults().at(AT));
    assertThat(local.report().anonymization().method())
        .isEqualTo("Mondrian multidimensional partitioning");
    assertThat(local.report().anonymization().segmentationImpact()).isNotNull();
    assertSameRunOnPartitions(pipeline, keys, rows, local, 2, 5);

    SegmentationPipeline diverse = gated(keys.key(), ledger(keys.key(), n, 23), 23)
        .minimize(m -> m.keep("age", "spend", "orders").dropEverythingElse())
        .anonymize(dev.privseg.anonymization.mondrian.Mondrian.on("age").k(12)
            .model(PrivacyModel.distinctLDiversity("orders", 3))
            .model(PrivacyModel.tCloseness("spend", 0.2)))
        .build();
    SegmentationRun diverseLocal = diverse.run(
        LocalParity.localRows(rows, SparkSegmentsProperties.SCHEMA),
        RunOptions.defaults().at(AT));
    assertThat(diverseLocal.report().anonymization().summary().get("partitions"))
        .isNotEqualTo(local.report().anonymization().summary().get("partitions"));
    assertSameRunOnPartitions(diverse, keys, rows, diverseLocal, 3);

    SegmentationPipeline mapped = gated(keys.key(), ledger(keys.key(), n, 23), 23)
        .minimize(m -> m.keep("age", "spend", "orders").dropEverythingElse())
        .anonymize(dev.privseg.anonymization.mondrian.Mondrian.on("age").k(12)
            .model(PrivacyModel.kMap(20, dev.privseg.anonymization.model.Population.of(
                LocalParity.localRows(rows.subList(0, 50), SparkSegmentsProperties.SCHEMA)))))
        .build();
    assertThatThrownBy(() -> SparkSegmentation.of(mapped, keys.reference()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("privacy model 20-map cannot be sent to the Spark tasks that check "
            + "Mondrian's partitions: it is not Serializable (k-map holds its population table; "
            + "run it on the local engine)");
  }

  /**
   * A Gaussian mixture on Spark is the local one, to the last bit, whatever the partitions:
   * the same segments row by row, the same record (log-likelihood, BIC, the k chosen and the
   * stability refits with the local engine's seeds).
   */
  @Test
  void aGaussianMixtureRunsOnSparkAsLocally(@TempDir Path dir) throws Exception {
    Keys keys = Keys.in(dir);
    int n = ChunkedRows.CHUNK * 2 + 777;
    List<Row> rows = SparkSegmentsProperties.rows(13, n);
    SegmentationPipeline pipeline = pipeline(keys.key(), n, 13,
        dev.privseg.core.segment.gmm.GaussianMixture.components(2).seed(13).maxIterations(12)
            .chooseK(2, 4)).stability(1).build();
    SegmentationRun local = pipeline.run(
        LocalParity.localRows(rows, SparkSegmentsProperties.SCHEMA),
        RunOptions.defaults().at(AT));
    assertThat(local.report().segmentation().details()).containsKeys("bic", "bicByK",
        "chosenK");
    assertSameRunOnPartitions(pipeline, keys, rows, local, 2, 5);
  }

  /** {@code pipeline} on Spark over {@code rows}, in each partition count, is {@code local}. */
  private static void assertSameRunOnPartitions(SegmentationPipeline pipeline, Keys keys,
      List<Row> rows, SegmentationRun local, int... partitionCounts) {
    for (int partitions : partitionCounts) {
      try (SparkRun spark = SparkSegmentation.of(pipeline, keys.reference())
          .partitions(partitions).run(LocalSpark.session().createDataFrame(rows,
              SparkSegmentsProperties.STRUCT).coalesce(2), AT)) {
        LocalParity.assertSameRun(spark, local);
      }
    }
  }

  /**
   * Stability refits on Spark use the local engine's seeds: the same stability in the record,
   * and the run's own segments still in the assignments after the refits.
   */
  @Test
  void stabilityIsMeasuredAsLocally(@TempDir Path dir) throws Exception {
    Keys keys = Keys.in(dir);
    int n = ChunkedRows.CHUNK + 2_345;
    List<Row> rows = SparkSegmentsProperties.rows(9, n);
    SegmentationPipeline pipeline = pipeline(keys.key(), n, 9).stability(2).build();
    SegmentationRun local = pipeline.run(
        LocalParity.localRows(rows, SparkSegmentsProperties.SCHEMA),
        RunOptions.defaults().at(AT));
    assertThat(local.report().segmentation().stability()).isNotNull();
    try (SparkRun spark = SparkSegmentation.of(pipeline, keys.reference()).partitions(2)
        .run(LocalSpark.session().createDataFrame(rows, SparkSegmentsProperties.STRUCT)
            .coalesce(2), AT)) {
      LocalParity.assertSameRun(spark, local);
    }
  }
}
