package dev.privseg.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Mondrian on Spark gives the local run's partitions to the last bit: the same recoded values
 * row by row and the same record, whether the executors make most cuts (a node fits a task at 40
 * rows) or a task makes them all, however the rows are partitioned.
 */
class SparkMondrianProperties {
  private static final List<String> QIS = List.of("age", "income", "tenure");
  private static final Schema SCHEMA = Schema.builder()
      .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("income", FieldType.NUMERIC, PrivacyRole.QUASI_IDENTIFIER)
      .field("tenure", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER).build();
  private static final StructType STRUCT = new StructType()
      .add(SparkInput.ORDER, DataTypes.LongType, false)
      .add("age", DataTypes.LongType).add("income", DataTypes.DoubleType)
      .add("tenure", DataTypes.LongType);

  @Property(tries = 6)
  void partitionsOnSparkAreTheLocalOnes(@ForAll long seed,
      @ForAll @IntRange(min = 2, max = 12) int k,
      @ForAll @IntRange(min = 1, max = 4) int partitions,
      @ForAll @IntRange(min = 0, max = 2) int variant) {
    List<Row> rows = rows(seed, 800 + new SplittableRandom(seed).nextInt(2_500));
    Mondrian mondrian = Mondrian.on("age", "income", "tenure").k(k)
        .recoding(variant == 2 ? Mondrian.Recoding.MIDPOINT : Mondrian.Recoding.MEAN);
    Mondrian.Result local = mondrian.partition(local(rows));
    long fitsOneTask = variant == 1 ? Long.MAX_VALUE : 40;
    try (SparkMondrian.Partitioned spark = new SparkMondrian(mondrian, fitsOneTask).run(
        LocalSpark.session().createDataFrame(rows, STRUCT).repartition(partitions))) {
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
    }
  }

  @Test
  void tooFewRowsAndMissingValuesAreRefusedAsLocally() {
    Mondrian mondrian = Mondrian.on("age", "income", "tenure").k(20);
    List<Row> few = rows(1, 10);
    String local = org.assertj.core.api.Assertions.catchThrowableOfType(
        AnonymizationFailedException.class, () -> mondrian.partition(local(few))).getMessage();
    assertThatThrownBy(() -> new SparkMondrian(mondrian, 40).run(
        LocalSpark.session().createDataFrame(few, STRUCT)))
        .isInstanceOf(AnonymizationFailedException.class).hasMessage(local);

    List<Row> missing = new ArrayList<>(rows(2, 100));
    missing.add(RowFactory.create(10_000L, null, 5.0, 1L));
    assertThatThrownBy(() -> new SparkMondrian(mondrian, 40).run(
        LocalSpark.session().createDataFrame(missing, STRUCT)))
        .isInstanceOf(dev.privseg.core.ConfigurationException.class)
        .hasMessage("quasi-identifier 'age' has 1 missing values; Mondrian needs complete "
            + "values (impute them, or drop those rows before the run)");
  }

  /** Rows with many ties (ages, tenures) and incomes of two decimals; orders with gaps. */
  private static List<Row> rows(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(RowFactory.create(3L * i + 7, (long) (18 + r.nextInt(60)),
          Math.round(r.nextDouble() * 12_000_000) / 100.0, (long) r.nextInt(6)));
    }
    return rows;
  }

  private static dev.privseg.core.dataset.Dataset local(List<Row> rows) {
    DatasetBuilder b = dev.privseg.core.dataset.Dataset.builder(SCHEMA);
    for (Row row : rows) {
      b.setNumber(0, row.getLong(1));
      b.setNumber(1, row.getDouble(2));
      b.setNumber(2, row.getLong(3));
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
