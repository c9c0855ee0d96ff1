package dev.privseg.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.anonymization.dp.BudgetExceededException;
import dev.privseg.anonymization.dp.DpKMeans;
import dev.privseg.anonymization.dp.DpProfiles;
import dev.privseg.anonymization.dp.PrivacyAccountant;
import dev.privseg.anonymization.dp.Rational;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.minimize.Coarsen;
import dev.privseg.core.pipeline.RunOptions;
import dev.privseg.core.pipeline.SegmentationPipeline;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Differential privacy on Spark: DP k-means and DP profiles count on the executors and draw
 * their noise and spend their budget on the driver, so a run gives what the local engine gives
 * with the same random source — the same segments row by row, the same noisy profiles, the same
 * record and the same budget spent — on a dataset and on its neighbour with one subject more,
 * however the rows are partitioned; and a run the budget cannot pay for is refused before
 * anything is released, on Spark as locally.
 */
class SparkDpProperties {
  private static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");
  static final Schema SCHEMA = Schema.builder().subjectId("id")
      .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
      .categorical("tier", PrivacyRole.OTHER, "basic", "plus", "gold")
      .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .build();
  static final StructType STRUCT = new StructType()
      .add("id", DataTypes.StringType)
      .add("spend", DataTypes.DoubleType)
      .add("tier", DataTypes.StringType)
      .add("age", DataTypes.LongType);

  @Property(tries = 2)
  void dpRunsOnSparkAsLocallyOnNeighbouringDatasets(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int partitions) throws Exception {
    SparkSegmentationTest.Keys keys = SparkSegmentationTest.Keys.in(
        Files.createTempDirectory("privseg-dp"));
    List<Row> rows = rows(seed, 1_200 + new SplittableRandom(seed).nextInt(800));
    List<Row> neighbour = new ArrayList<>(rows);
    neighbour.add(RowFactory.create("S-extra", 499.0, "gold", 80L));
    for (int variant = 0; variant < 3; variant++) {
      sameAsLocally(keys, rows, seed, partitions, variant);
    }
    sameAsLocally(keys, neighbour, seed, partitions, (int) Math.floorMod(seed, 3L));
  }

  private static void sameAsLocally(SparkSegmentationTest.Keys keys, List<Row> data, long seed,
      int partitions, int variant) throws Exception {
    PrivacyAccountant localBudget = budget("10");
    PrivacyAccountant sparkBudget = budget("10");
    SegmentationRun local = pipeline(keys.key(), localBudget, seed, variant)
        .run(LocalParity.localRows(data, SCHEMA), RunOptions.defaults().at(AT));
    try (SparkRun spark = SparkSegmentation.of(pipeline(keys.key(), sparkBudget, seed,
            variant), keys.reference())
        .partitions(partitions)
        .run(LocalSpark.session().createDataFrame(data, STRUCT).coalesce(partitions), AT)) {
      LocalParity.assertSameRun(spark, local);
    }
    assertThat(sparkBudget.spentEpsilon()).isEqualTo(localBudget.spentEpsilon());
    assertThat(sparkBudget.spentEpsilon().compareTo(Rational.ZERO)).isPositive();
  }

  @Property(tries = 2)
  void theBudgetIsNeverExceededOnSpark(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 3) int partitions) throws Exception {
    SparkSegmentationTest.Keys keys = SparkSegmentationTest.Keys.in(
        Files.createTempDirectory("privseg-dp-budget"));
    List<Row> rows = rows(seed, 600);
    // Each run spends 3/2 for the centres and 1/2 for the profiles: two runs fit, a third not.
    PrivacyAccountant budget = budget("4");
    for (int run = 0; run < 2; run++) {
      try (SparkRun spark = SparkSegmentation.of(pipeline(keys.key(), budget, seed + run, 0),
          keys.reference()).partitions(partitions)
          .run(LocalSpark.session().createDataFrame(rows, STRUCT), AT)) {
        assertThat(spark.profiles().released()).isNotEmpty();
      }
      assertThat(budget.spentEpsilon()).isEqualTo(Rational.parse(String.valueOf(2 * run + 2)));
    }
    SparkSegmentation third = SparkSegmentation.of(pipeline(keys.key(), budget, seed, 0),
        keys.reference()).partitions(partitions);
    assertThatThrownBy(() -> third.run(LocalSpark.session().createDataFrame(rows, STRUCT), AT))
        .isInstanceOf(BudgetExceededException.class);
    assertThat(budget.spentEpsilon()).isEqualTo(Rational.parse("4"));
  }

  @Property(tries = 2)
  void theImpactOfAnonymizationOnDpSegmentsIsMeasuredAsLocally(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 3) int partitions) throws Exception {
    SparkSegmentationTest.Keys keys = SparkSegmentationTest.Keys.in(
        Files.createTempDirectory("privseg-dp-impact"));
    List<Row> rows = rows(seed, 1_500);
    PrivacyAccountant localBudget = budget("10");
    PrivacyAccountant sparkBudget = budget("10");
    SegmentationRun local = impactPipeline(keys.key(), localBudget, seed)
        .run(LocalParity.localRows(rows, SCHEMA), RunOptions.defaults().at(AT));
    try (SparkRun spark = SparkSegmentation.of(impactPipeline(keys.key(), sparkBudget, seed),
            keys.reference()).partitions(partitions)
        .run(LocalSpark.session().createDataFrame(rows, STRUCT).coalesce(partitions), AT)) {
      assertThat(local.report().anonymization().segmentationImpact()).isNotNull();
      LocalParity.assertSameRun(spark, local);
    }
    // The reference fit on the original values spends its ε too, as locally.
    assertThat(sparkBudget.spentEpsilon()).isEqualTo(localBudget.spentEpsilon())
        .isEqualTo(Rational.parse("2"));
  }

  /** DP k-means on generalized ages, the anonymization's impact measured. */
  private static SegmentationPipeline impactPipeline(KeyProvider key, PrivacyAccountant budget,
      long seed) throws Exception {
    return Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(allowed(seed)))
        .minimize(m -> m.keep("spend", "tier", "age"))
        .pseudonymize("id", Pseudonymizer.hmacSha256(key))
        .anonymize(dev.privseg.anonymization.search.GeneralizationAnonymizer.builder()
            .hierarchy(dev.privseg.anonymization.hierarchy.Hierarchy.intervals("age", 10, 20))
            .kAnonymity(5).suppressionLimit(0.05).build())
        .measureAnonymizationImpact()
        .segmentWith(DpKMeans.clusters(3, budget, Rational.parse("1")).bounds("spend", 0, 500)
            .bounds("age", 0, 120).seed(seed).iterations(5).random(seeded(seed + 2)))
        .schema(SCHEMA)
        .build();
  }

  /** A budget of {@code epsilon} (and a small delta, for the Gaussian variant). */
  private static PrivacyAccountant budget(String epsilon) {
    return PrivacyAccountant.withBudget(Rational.parse(epsilon), Rational.parse("1/1000000"));
  }

  /**
   * A DP pipeline: DP k-means (ε 3/2) and DP profiles (ε 1/2) with discrete Laplace noise
   * (variant 0), also noisy quartiles (1), or discrete Gaussian noise and two stability refits
   * (2), every random source seeded from {@code seed}.
   */
  private static SegmentationPipeline pipeline(KeyProvider key, PrivacyAccountant budget,
      long seed, int variant) throws Exception {
    DpProfiles.Builder profiles = variant == 2
        ? DpProfiles.spendingRho(budget, Rational.parse("1/8"))
        : DpProfiles.spending(budget, Rational.parse("1/2"));
    profiles.bounds("spend", 0, 500).random(seeded(seed));
    if (variant == 1) {
      profiles.quartiles(25);
    }
    return Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(allowed(seed)))
        .minimize(m -> m.keep("spend", "tier", "age").coarsen("age",
            Coarsen.bands(30, 45, 60)))
        .pseudonymize("id", Pseudonymizer.hmacSha256(key))
        .segmentWith(DpKMeans.clusters(3, budget, Rational.parse("3/2"))
            .bounds("spend", 0, 500).seed(seed).iterations(6).random(seeded(seed + 1)))
        .stability(variant == 2 ? 2 : 0)
        .releaseProfiles(p -> p.minSegmentSize(20).mechanism(profiles.build()))
        .schema(SCHEMA)
        .build();
  }

  /** Every subject but about one in six, and the extra subject of the neighbouring dataset. */
  private static List<String> allowed(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      if (r.nextInt(6) != 0) {
        ids.add("S-" + i);
      }
    }
    ids.add("S-extra");
    return ids;
  }

  private static List<Row> rows(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
    String[] tiers = {"basic", "plus", "gold", null};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean big = r.nextBoolean();
      rows.add(RowFactory.create("S-" + i,
          r.nextInt(15) == 0 ? null : (big ? 300 + r.nextDouble() * 250 : r.nextDouble() * 200),
          tiers[r.nextInt(4)], r.nextInt(12) == 0 ? null : (Long) (long) (18 + r.nextInt(70))));
    }
    return rows;
  }

  /**
   * A random source that repeats for {@code seed}: seeded with bytes, as {@code setSeed(0L)} is
   * ignored (and the source then seeds itself).
   */
  private static SecureRandom seeded(long seed) throws Exception {
    SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
    r.setSeed(java.nio.ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
    return r;
  }
}
