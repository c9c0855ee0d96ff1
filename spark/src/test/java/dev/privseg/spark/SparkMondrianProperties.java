package dev.privseg.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.anonymization.model.PrivacyModel;
import dev.privseg.anonymization.mondrian.Mondrian;
import dev.privseg.core.anonymize.AnonymizationFailedException;
import dev.privseg.core.anonymize.AnonymizedData;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.dataset.NumberColumn;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Mondrian on Spark gives the local run's partitions to the last bit, with every model the
 * executors can check (l-diversity, t-closeness on categories with and without an order and on
 * numbers, several at once): the same recoded values row by row and the same record, whether the
 * executors make most cuts (a node fits a task at 40 rows) or a task makes them all, however the
 * rows are partitioned.
 */
class SparkMondrianProperties {
  private static final List<String> QIS = List.of("age", "income", "tenure");
  private static final Schema SCHEMA = Schema.builder()
      .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("income", FieldType.NUMERIC, PrivacyRole.QUASI_IDENTIFIER)
      .field("tenure", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("plan", FieldType.CATEGORICAL, PrivacyRole.SENSITIVE)
      .field("spend", FieldType.NUMERIC, PrivacyRole.SENSITIVE).build();
  private static final StructType STRUCT = new StructType()
      .add(SparkInput.ORDER, DataTypes.LongType, false)
      .add("age", DataTypes.LongType).add("income", DataTypes.DoubleType)
      .add("tenure", DataTypes.LongType).add("plan", DataTypes.StringType)
      .add("spend", DataTypes.DoubleType);
  private static final List<String> PLANS = List.of("basic", "plus", "pro", "family", "senior");

  @Property(tries = 6)
  void partitionsOnSparkAreTheLocalOnes(@ForAll long seed,
      @ForAll @IntRange(min = 2, max = 12) int k,
      @ForAll @IntRange(min = 1, max = 4) int partitions,
      @ForAll @IntRange(min = 0, max = 2) int variant,
      @ForAll @IntRange(min = 0, max = 5) int model) {
    List<Row> rows = rows(seed, 800 + new SplittableRandom(seed).nextInt(2_500));
    Mondrian mondrian = Mondrian.on("age", "income", "tenure").k(k)
        .recoding(variant == 2 ? Mondrian.Recoding.MIDPOINT : Mondrian.Recoding.MEAN);
    sameAsLocally(rows, withModel(mondrian, model), variant == 1 ? Long.MAX_VALUE : 40,
        partitions);
  }

  @Test
  void everyModelShapesThePartitionsOnSparkAsLocally() {
    List<Row> rows = rows(11, 3_000);
    Mondrian plain = Mondrian.on("age", "income", "tenure").k(5);
    int alone = sameAsLocally(rows, plain, 40, 3);
    for (int model = 1; model <= 5; model++) {
      // Each model stops cuts that k-anonymity alone makes, on the executors and in tasks.
      assertThat(sameAsLocally(rows, withModel(plain, model), 40, 3)).as("model %s", model)
          .isLessThan(alone);
    }
  }

  static Mondrian withModel(Mondrian mondrian, int model) {
    return switch (model) {
      case 1 -> mondrian.model(PrivacyModel.distinctLDiversity("plan", 3));
      case 2 -> mondrian.model(PrivacyModel.entropyLDiversity("plan", 2.5));
      case 3 -> mondrian.model(PrivacyModel.recursiveLDiversity("plan", 2, 3))
          .model(PrivacyModel.tCloseness("spend", 0.3));
      case 4 -> mondrian.model(PrivacyModel.tCloseness("plan", 0.15));
      case 5 -> mondrian.model(PrivacyModel.tCloseness("plan", 0.1,
          List.of("senior", "basic", "plus", "family", "pro")));
      default -> mondrian;
    };
  }

  private static int sameAsLocally(List<Row> rows, Mondrian mondrian, long fitsOneTask,
      int partitions) {
    return sameAsLocally(LocalSpark.session(), rows, mondrian, fitsOneTask, partitions);
  }

  /**
   * Partitions {@code rows} locally and in {@code session}; asserts they agree; returns the
   * partitions.
   */
  static int sameAsLocally(SparkSession session, List<Row> rows, Mondrian mondrian,
      long fitsOneTask, int partitions) {
    Mondrian.Result local = mondrian.partition(local(rows));
    try (SparkMondrian.Partitioned spark = new SparkMondrian(mondrian, fitsOneTask).run(
        session.createDataFrame(rows, STRUCT).repartition(partitions), SCHEMA)) {
      AnonymizedData expected = local.anonymized();
      List<Row> recoded = spark.recoded().orderBy(SparkInput.ORDER).collectAsList();
      assertThat(recoded).hasSize(rows.size());
      for (int r = 0; r < rows.size(); r++) {
        assertThat(recoded.get(r).getLong(0)).isEqualTo(rows.get(r).getLong(0));
        for (int q = 0; q < QIS.size(); q++) {
          assertThat(recoded.get(r).getDouble(q + 1)).as("row %s, %s", r, QIS.get(q))
              .isEqualTo(((NumberColumn) expected.data().column(QIS.get(q))).asDouble(r));
        }
      }
      assertThat(spark.partitions()).isEqualTo(expected.summary().get("partitions"));
      assertThat(withoutTime(spark.record().summary()))
          .isEqualTo(withoutTime(expected.summary()));
      assertThat(spark.record().guarantees()).isEqualTo(expected.guarantees());
      assertThat(spark.record().covered()).isEqualTo(expected.coveredFields());
      return spark.partitions();
    }
  }

  @Test
  void tooFewRowsAndMissingValuesAreRefusedAsLocally() {
    Mondrian mondrian = Mondrian.on("age", "income", "tenure").k(20);
    List<Row> few = rows(1, 10);
    String local = org.assertj.core.api.Assertions.catchThrowableOfType(
        AnonymizationFailedException.class, () -> mondrian.partition(local(few))).getMessage();
    assertThatThrownBy(() -> new SparkMondrian(mondrian, 40).run(
        LocalSpark.session().createDataFrame(few, STRUCT), SCHEMA))
        .isInstanceOf(AnonymizationFailedException.class).hasMessage(local);

    List<Row> missing = new ArrayList<>(rows(2, 100));
    missing.add(RowFactory.create(10_000L, null, 5.0, 1L, "basic", 1.0));
    assertThatThrownBy(() -> new SparkMondrian(mondrian, 40).run(
        LocalSpark.session().createDataFrame(missing, STRUCT), SCHEMA))
        .isInstanceOf(dev.privseg.core.ConfigurationException.class)
        .hasMessage("quasi-identifier 'age' has 1 missing values; Mondrian needs complete "
            + "values (impute them, or drop those rows before the run)");
  }

  /**
   * Rows with many ties (ages, tenures), incomes of two decimals, plans skewed by age (some
   * missing) and spends of up to 600 values; orders with gaps.
   */
  static List<Row> rows(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long age = 18 + r.nextInt(60);
      String plan = r.nextInt(40) == 0 ? null
          : PLANS.get((int) Math.min(PLANS.size() - 1, (age - 18) / 15 + r.nextInt(2)));
      rows.add(RowFactory.create(3L * i + 7, age,
          Math.round(r.nextDouble() * 12_000_000) / 100.0, (long) r.nextInt(6), plan,
          r.nextInt(600) * 2.5 - (age > 60 ? 300 : 0)));
    }
    return rows;
  }

  private static dev.privseg.core.dataset.Dataset local(List<Row> rows) {
    DatasetBuilder b = dev.privseg.core.dataset.Dataset.builder(SCHEMA);
    for (Row row : rows) {
      b.setNumber(0, row.getLong(1));
      b.setNumber(1, row.getDouble(2));
      b.setNumber(2, row.getLong(3));
      if (row.isNullAt(4)) {
        b.setNull(3);
      } else {
        b.setText(3, row.getString(4));
      }
      b.setNumber(4, row.getDouble(5));
      b.endRow();
    }
    return b.build();
  }

  private static Map<String, Object> withoutTime(Map<String, Object> summary) {
    Map<String, Object> out = new LinkedHashMap<>(summary);
    out.remove("searchMillis");
    return out;
  }
}
