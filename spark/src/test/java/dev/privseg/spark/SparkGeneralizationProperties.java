package dev.privseg.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.anonymization.hierarchy.Hierarchy;
import dev.privseg.anonymization.search.GeneralizationAnonymizer;
import dev.privseg.anonymization.search.GeneralizationResult;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.anonymize.AnonymizationFailedException;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Generalizing a Spark dataset on its own releases what the local engine releases from the same
 * rows: the same rows, labels, choice and figures, the same rows rejected when read; with
 * missing values, numbers of either sign of zero, a numeric and a categorical sensitive field,
 * and over partitions.
 */
class SparkGeneralizationProperties {
  static final Schema SCHEMA = Schema.builder()
      .subjectId("id")
      .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("zip", FieldType.TEXT, PrivacyRole.QUASI_IDENTIFIER)
      .field("score", FieldType.NUMERIC, PrivacyRole.QUASI_IDENTIFIER)
      .field("job", FieldType.CATEGORICAL, PrivacyRole.SENSITIVE)
      .field("income", FieldType.NUMERIC, PrivacyRole.SENSITIVE)
      .build();
  static final StructType STRUCT = new StructType()
      .add("id", DataTypes.StringType)
      .add("age", DataTypes.IntegerType)
      .add("zip", DataTypes.StringType)
      .add("score", DataTypes.DoubleType)
      .add("job", DataTypes.StringType)
      .add("income", DataTypes.DoubleType);

  static List<Row> rows(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    String[] zips = {"10115", "10117", "10245", "80331", "80333", "", null};
    String[] jobs = {"nurse", "clerk", "pilot", "chef", null};
    double[] scores = {-0.0, 0.0, 1.5, 2.5, 7.25, Double.NaN};
    double[] incomes = {-0.0, 0.0, 1200, 3400.5, 9000};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(RowFactory.create("C-" + i,
          r.nextInt(30) == 0 ? null : (Integer) (18 + r.nextInt(50)),
          zips[r.nextInt(zips.length)],
          r.nextInt(100) == 0 ? (Double) Double.NaN : r.nextInt(20) == 0 ? null
              : (Double) scores[r.nextInt(scores.length - 1)],
          jobs[r.nextInt(jobs.length)],
          r.nextInt(25) == 0 ? null : (Double) incomes[r.nextInt(incomes.length)]));
    }
    return rows;
  }

  static GeneralizationAnonymizer anonymizer(int k, int variant) {
    GeneralizationAnonymizer.Builder b = GeneralizationAnonymizer.builder()
        .hierarchy(Hierarchy.intervals("age", 5, 10, 20))
        .hierarchy(Hierarchy.masking("zip", 5))
        .hierarchy(Hierarchy.intervals("score", 2, 4))
        .kAnonymity(k).suppressionLimit(variant == 0 ? 0 : 0.04);
    if (variant >= 1) {
      b.lDiversity("job", 2);
    }
    if (variant == 2) {
      b.tCloseness("income", 0.5);
    }
    return b.build();
  }

  @Property(tries = 8)
  void sparkReleasesWhatTheLocalEngineReleases(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 3) int partitions,
      @ForAll @IntRange(min = 2, max = 15) int k,
      @ForAll @IntRange(min = 0, max = 2) int variant) {
    List<Row> rows = rows(seed, 300 + (int) Math.floorMod(seed, 1_500L));
    GeneralizationAnonymizer anonymizer = anonymizer(k, variant);
    Dataset local = LocalParity.localRows(rows, SCHEMA);
    SparkGeneralization spark = SparkGeneralization.of(anonymizer, SCHEMA);
    org.apache.spark.sql.Dataset<Row> input = LocalSpark.session()
        .createDataFrame(rows, STRUCT).coalesce(partitions);
    GeneralizationResult expected;
    try {
      expected = anonymizer.apply(local);
    } catch (AnonymizationFailedException e) {
      assertThatThrownBy(() -> spark.apply(input))
          .isInstanceOf(AnonymizationFailedException.class).hasMessage(e.getMessage());
      net.jqwik.api.statistics.Statistics.collect("no node meets the models");
      return;
    }
    net.jqwik.api.statistics.Statistics.collect(expected.suppressedRows() > 0 ? "rows suppressed"
        : "nothing suppressed");
    SparkGeneralization.Result result = spark.apply(input);

    assertThat(result.rejected()).isEqualTo(local.readReport().rejected());
    assertThat(result.choice().levels()).isEqualTo(expected.levels());
    assertThat(withoutTime(result.choice().summary())).isEqualTo(withoutTime(expected.summary()));
    Dataset released = expected.anonymized().data();
    List<Row> out = result.released().collectAsList();
    assertThat(out).hasSize(released.rowCount());
    for (int r = 0; r < out.size(); r++) {
      assertThat(out.get(r).getString(0)).isEqualTo(released.column("id").text(r));
      for (String q : List.of("age", "zip", "score")) {
        Object v = out.get(r).getAs(q);
        String text = v == null ? null : v instanceof Double d
            ? (d == Math.rint(d) ? Long.toString(d.longValue()) : Double.toString(d))
            : v.toString();
        assertThat(text).as("row %s field %s", r, q).isEqualTo(released.column(q).text(r));
      }
    }
  }

  @Example
  void aSchemaTheAnonymizerCannotReadIsRefusedAsLocally() {
    GeneralizationAnonymizer ageOnly = GeneralizationAnonymizer.builder()
        .hierarchy(Hierarchy.intervals("age", 5)).kAnonymity(2).build();
    assertThatThrownBy(() -> SparkGeneralization.of(ageOnly, SCHEMA))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("field 'zip' is a quasi-identifier but has no hierarchy");
  }

  private static Map<String, Object> withoutTime(Map<String, Object> summary) {
    Map<String, Object> out = new LinkedHashMap<>(summary);
    out.remove("searchMillis");
    return out;
  }
}
