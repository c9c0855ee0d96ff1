package dev.privseg.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.anonymization.hierarchy.Hierarchy;
import dev.privseg.anonymization.search.GeneralizationAnonymizer;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.anonymize.AnonymizationFailedException;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.minimize.Coarsen;
import dev.privseg.core.pipeline.RunOptions;
import dev.privseg.core.pipeline.SegmentationBuilder;
import dev.privseg.core.pipeline.SegmentationPipeline;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.segment.kmeans.ChunkedRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Period;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.spark.sql.Row;

/**
 * A pipeline with full-domain generalization runs on Spark with the local run's outcome: the same
 * node, the same rows suppressed (none of them in any output), the same labels, the same record
 * of what the anonymization achieved (and of its impact on the segments), the same microdata,
 * segments and profiles, whatever the partitions; and every class of the released microdata
 * meets the models.
 */
class SparkAnonymizeProperties {
  private static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");

  static GeneralizationAnonymizer anonymizer(int k, int variant) {
    GeneralizationAnonymizer.Builder b = GeneralizationAnonymizer.builder()
        .hierarchy(Hierarchy.intervals("age", 5, 10, 20))
        .hierarchy(Hierarchy.flat("region"))
        .hierarchy(Hierarchy.intervals("orders", 3, 6))
        .kAnonymity(k)
        .suppressionLimit(variant == 0 ? 0 : 0.05);
    if (variant >= 1) {
      b.lDiversity("channel", 2);
    }
    if (variant == 2) {
      b.tCloseness("spend", 0.6);
    }
    return b.build();
  }

  static SegmentationPipeline pipeline(KeyProvider key, int subjects, long seed,
      GeneralizationAnonymizer anonymizer) {
    return pipeline(key, subjects, seed, anonymizer, false);
  }

  static SegmentationPipeline pipeline(KeyProvider key, int subjects, long seed,
      GeneralizationAnonymizer anonymizer, boolean impact) {
    return pipeline(key, subjects, seed, anonymizer, impact,
        dev.privseg.core.segment.kmeans.KMeans.clusters(4).seed(seed).maxIterations(30));
  }

  static SegmentationPipeline pipeline(KeyProvider key, int subjects, long seed,
      GeneralizationAnonymizer anonymizer, boolean impact,
      dev.privseg.core.segment.Segmenter segmenter) {
    SegmentationBuilder b = SparkSegmentationTest.gated(key,
        SparkSegmentationTest.ledger(key, subjects, seed), segmenter)
        .minimize(m -> m.keep("age", "region", "channel", "spend", "orders", "last_order")
            .dropEverythingElse()
            .coarsen("spend", Coarsen.topCode(900))
            .coarsen("last_order", Coarsen.toYear())
            .retainFor("last_order", Period.ofYears(3)))
        .anonymize(anonymizer);
    return (impact ? b.measureAnonymizationImpact() : b).build();
  }

  @Property(tries = 5)
  void anonymizedOnSparkAsOnTheLocalEngine(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int partitions,
      @ForAll @IntRange(min = 2, max = 12) int k,
      @ForAll @IntRange(min = 0, max = 2) int variant, @ForAll boolean mixture)
      throws Exception {
    SparkSegmentationTest.Keys keys = SparkSegmentationTest.Keys.in(
        Files.createTempDirectory("privseg-anonymize"));
    int n = ChunkedRows.CHUNK + 700 + (int) Math.floorMod(seed, 2_000L);
    List<Row> rows = SparkSegmentsProperties.rows(seed, n);
    GeneralizationAnonymizer anonymizer = anonymizer(k, variant);
    // The anonymization's impact on the segments measured too, in most tries; segmented by
    // k-means or by a Gaussian mixture.
    SegmentationPipeline pipeline = pipeline(keys.key(), n, seed, anonymizer, variant != 0,
        mixture ? dev.privseg.core.segment.gmm.GaussianMixture.components(3).seed(seed)
            .maxIterations(8)
            : dev.privseg.core.segment.kmeans.KMeans.clusters(4).seed(seed).maxIterations(30));
    org.apache.spark.sql.Dataset<Row> input = LocalSpark.session()
        .createDataFrame(rows, SparkSegmentsProperties.STRUCT).coalesce(partitions);
    SparkSegmentation spark = SparkSegmentation.of(pipeline, keys.reference())
        .partitions(partitions);

    SegmentationRun local;
    try {
      local = pipeline.run(LocalParity.localRows(rows, SparkSegmentsProperties.SCHEMA),
          RunOptions.defaults().at(AT));
    } catch (AnonymizationFailedException e) {
      assertThatThrownBy(() -> spark.run(input, AT))
          .isInstanceOf(AnonymizationFailedException.class).hasMessage(e.getMessage());
      net.jqwik.api.statistics.Statistics.collect("no node meets the models");
      return;
    }
    net.jqwik.api.statistics.Statistics.collect(local.report().anonymization().rowsSuppressed() > 0
        ? "rows suppressed" : "nothing suppressed");
    net.jqwik.api.statistics.Statistics.label("segments").collect(
        (mixture ? "mixture" : "k-means") + (variant != 0 ? ", impact" : ""));
    try (SparkRun run = spark.run(input, AT)) {
      LocalParity.assertSameRun(run, local);
      assertThat(run.report().stageMillis()).containsKey("ANONYMIZE");
      List<Row> microdata = run.anonymizedMicrodata().orElseThrow().collectAsList();
      Dataset expected = local.anonymizedMicrodata().orElseThrow();
      assertThat(run.anonymizedMicrodata().orElseThrow().columns())
          .containsExactlyElementsOf(expected.schema().names());
      assertThat(microdata).hasSize(expected.rowCount());
      for (int r = 0; r < microdata.size(); r++) {
        for (int c = 0; c < expected.schema().size(); c++) {
          Object value = microdata.get(r).get(c);
          assertThat(value == null ? null : text(value)).as("row %s field %s", r, c)
              .isEqualTo(expected.columns().get(c).text(r));
        }
      }
      // The files, as the local run writes them.
      Path dir = Files.createTempDirectory("privseg-files");
      run.writeAssignmentsCsv(dir.resolve("spark-assignments.csv"));
      local.assignments().writeCsv(dir.resolve("local-assignments.csv"));
      assertThat(dir.resolve("spark-assignments.csv"))
          .hasSameBinaryContentAs(dir.resolve("local-assignments.csv"));
      run.writeAnonymizedMicrodataCsv(dir.resolve("spark-microdata.csv"));
      dev.privseg.core.io.CsvWriter.write(expected, dir.resolve("local-microdata.csv"));
      assertThat(dir.resolve("spark-microdata.csv"))
          .hasSameBinaryContentAs(dir.resolve("local-microdata.csv"));
      // Every released class holds at least k rows.
      Map<List<Object>, Integer> classes = new HashMap<>();
      for (Row r : microdata) {
        classes.merge(java.util.Arrays.asList(r.<Object>getAs("age"), r.<Object>getAs("region"),
            r.<Object>getAs("orders")), 1, Integer::sum);
      }
      assertThat(classes.values()).allSatisfy(size -> assertThat(size).isGreaterThanOrEqualTo(k));
    }
  }

  private static String text(Object value) {
    if (value instanceof Double d) {
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue())
          : Double.toString(d);
    }
    return value.toString();
  }

  @Example
  void onlyGeneralizationAndMondrianRunOnSpark() {
    KeyProvider key = KeyProvider.ephemeral();
    ExecutorKey reference = ExecutorKey.environment("PRIVSEG_KEY");
    SegmentationPipeline mdav = SparkSegmentationTest.pipeline(key, 10, 1)
        .anonymize(dev.privseg.anonymization.microaggregation.Mdav.on("age", "spend").k(5))
        .build();
    assertThatThrownBy(() -> SparkSegmentation.of(mdav, reference))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("the Spark engine anonymizes by full-domain generalization "
            + "(GeneralizationAnonymizer) or Mondrian; this pipeline's anonymizer is MDAV");
  }

  /** Counts its evaluations: each one sees older customers. */
  static final java.util.concurrent.atomic.AtomicInteger EVALUATIONS =
      new java.util.concurrent.atomic.AtomicInteger();

  /** An input whose ages grow each time Spark computes it (as a non-deterministic source). */
  private static org.apache.spark.sql.Dataset<Row> drifting(List<Row> rows) {
    return LocalSpark.session()
        .createDataFrame(rows, SparkSegmentsProperties.STRUCT)
        .mapPartitions((org.apache.spark.api.java.function.MapPartitionsFunction<Row, Row>) in -> {
          int shift = EVALUATIONS.incrementAndGet();
          List<Row> out = new java.util.ArrayList<>();
          in.forEachRemaining(r -> {
            Object[] v = new Object[r.length()];
            for (int c = 0; c < v.length; c++) {
              v[c] = r.get(c);
            }
            v[1] = v[1] == null ? null : (Integer) v[1] + 100 * shift;
            out.add(org.apache.spark.sql.RowFactory.create(v));
          });
          return out.iterator();
        }, org.apache.spark.sql.Encoders.row(SparkSegmentsProperties.STRUCT));
  }

  @Example
  void anInputThatChangesBetweenJobsIsDecidedOnceAndReleasedAsChecked() throws Exception {
    SparkSegmentationTest.Keys keys = SparkSegmentationTest.Keys.in(
        Files.createTempDirectory("privseg-anonymize"));
    List<Row> rows = SparkSegmentsProperties.rows(11, 3_000);
    SegmentationPipeline pipeline = pipeline(keys.key(), rows.size(), 11, anonymizer(3, 0));
    int before = EVALUATIONS.get();
    try (SparkRun run = SparkSegmentation.of(pipeline, keys.reference())
        .run(drifting(rows).coalesce(1), AT)) {
      // Read more than once (the read counts, the gate, the order of the labels), yet the
      // stages after the gate see one version of the rows: every released class holds k.
      assertThat(EVALUATIONS.get() - before).isGreaterThan(1);
      assertThat(run.anonymizedMicrodata().orElseThrow().groupBy("age", "region", "orders").count()
          .where(org.apache.spark.sql.functions.col("count").lt(3)).count()).isZero();
      assertThat(run.anonymizedMicrodata().orElseThrow().count()).isEqualTo(run.assignments().count());
    }
  }

  @Example
  void rowsThatChangeBetweenTheCountAndTheReleaseAreRefusedNotReleased() {
    SparkInput read = new SparkInput(SparkSegmentsProperties.SCHEMA);
    org.apache.spark.sql.Dataset<Row> accepted = SparkInput.accepted(read.tagged(
        drifting(SparkSegmentsProperties.rows(11, 3_000))),
        SparkSegmentsProperties.SCHEMA.names());
    SparkAnonymize.Anonymized anonymized = new SparkAnonymize(anonymizer(3, 0))
        .run(accepted, accepted, SparkSegmentsProperties.SCHEMA);
    assertThatThrownBy(() -> SparkErrors.action(anonymized.rows()::count))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("the input changed between Spark's jobs");
  }

  @Example
  void aQuasiIdentifierWithoutAHierarchyIsNamedAsLocally() throws Exception {
    SparkSegmentationTest.Keys keys = SparkSegmentationTest.Keys.in(
        Files.createTempDirectory("privseg-anonymize"));
    GeneralizationAnonymizer ageOnly = GeneralizationAnonymizer.builder()
        .hierarchy(Hierarchy.intervals("age", 5, 10)).kAnonymity(2).build();
    SegmentationPipeline pipeline = pipeline(keys.key(), 50, 3, ageOnly);
    List<Row> rows = SparkSegmentsProperties.rows(3, 50);
    String local = null;
    try {
      pipeline.run(LocalParity.localRows(rows, SparkSegmentsProperties.SCHEMA),
          RunOptions.defaults().at(AT));
    } catch (ConfigurationException e) {
      local = e.getMessage();
    }
    assertThat(local).contains("field 'region' is a quasi-identifier but has no hierarchy");
    assertThatThrownBy(() -> SparkSegmentation.of(pipeline, keys.reference())
        .run(LocalSpark.session().createDataFrame(rows, SparkSegmentsProperties.STRUCT), AT))
        .isInstanceOf(ConfigurationException.class).hasMessage(local);
  }
}
