package dev.privseg.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.minimize.Coarsen;
import dev.privseg.core.minimize.Coarsening;
import dev.privseg.core.minimize.MinimizationRules;
import dev.privseg.core.minimize.Retention;
import java.time.Instant;
import java.time.Period;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Spark's minimize stage gives what the local one gives on the same rows: the same rows past
 * the retention limit, counted by the same reasons, and the same kept fields coarsened to the
 * same values.
 */
class SparkMinimizeProperties {
  private static final Instant AT = Instant.parse("2023-11-25T10:15:30.123456Z");

  static MinimizationRules rules(boolean withRetention) {
    Map<String, Coarsening> coarsening = new LinkedHashMap<>();
    coarsening.put("age", Coarsen.bands(10));
    coarsening.put("spend", Coarsen.topCode(500));
    coarsening.put("note", Coarsen.prefix(3));
    coarsening.put("since", Coarsen.toMonth());
    coarsening.put("region", Coarsen.prefix(1));
    return new MinimizationRules(List.of("age", "region", "spend", "note", "since"),
        List.of(), coarsening, List.of(),
        withRetention ? Optional.of(new Retention("seen", Period.ofDays(5))) : Optional.empty());
  }

  @Property(tries = 8)
  void sparkMinimizesAsTheLocalStageDoes(@ForAll long seed, @ForAll boolean withRetention) {
    List<Row> rows = SparkInputProperties.rows(seed, 400);
    SparkInput read = new SparkInput(SparkInputProperties.SCHEMA);
    Dataset<Row> accepted = SparkInput.accepted(read.tagged(LocalSpark.session()
        .createDataFrame(rows, SparkInputProperties.STRUCT)),
        SparkInputProperties.SCHEMA.names());
    MinimizationRules rules = rules(withRetention);
    SparkMinimize.Minimized spark = new SparkMinimize(rules, "id")
        .run(accepted, SparkInputProperties.SCHEMA, AT);

    dev.privseg.core.dataset.Dataset local = SparkInputProperties.readLocally(rows);
    Map<String, Long> retention = new LinkedHashMap<>();
    if (withRetention) {
      Retention.Selection kept = rules.retention().get().select(local, AT);
      local = local.select(kept.rows());
      if (kept.olderThanLimit() > 0) {
        retention.put("OLDER_THAN_LIMIT", kept.olderThanLimit());
      }
      if (kept.undated() > 0) {
        retention.put("NO_DATE", kept.undated());
      }
      assertThat(kept.olderThanLimit()).as("the limit cuts some rows").isPositive();
      assertThat(kept.rows()).as("and keeps others").isNotEmpty();
    }
    MinimizationRules.Outcome expected = rules.apply(local, List.of("id"));

    assertThat(spark.retention()).isEqualTo(retention);
    assertThat(spark.fields().used()).isEqualTo(expected.used());
    assertThat(spark.fields().dropped()).isEqualTo(expected.dropped());
    assertThat(spark.fields().coarsened()).isEqualTo(expected.coarsened());
    assertThat(spark.schema().names()).isEqualTo(expected.dataset().schema().names());
    List<Row> out = spark.rows().collectAsList();
    assertThat(out).hasSize(expected.dataset().rowCount());
    for (int r = 0; r < out.size(); r++) {
      for (int f = 0; f < spark.schema().size(); f++) {
        Column column = expected.dataset().columns().get(f);
        assertThat(SparkInputProperties.text(out.get(r).get(f)))
            .as("row %s field %s", r, column.name()).isEqualTo(column.text(r));
      }
    }
  }

  /**
   * The categories the stage counts in its one pass are the local ones: each coarsened
   * categorical field's dictionary, in the local order, whatever the source's type, and the
   * values a kept field with open categories holds.
   */
  @Property(tries = 6)
  void theCategoriesCountedInOnePassAreTheLocalOnes(@ForAll long seed) {
    dev.privseg.core.schema.Schema schema = dev.privseg.core.schema.Schema.builder()
        .subjectId("id")
        .field("age", dev.privseg.core.schema.FieldType.INTEGER,
            dev.privseg.core.schema.PrivacyRole.QUASI_IDENTIFIER)
        .field("note", dev.privseg.core.schema.FieldType.TEXT,
            dev.privseg.core.schema.PrivacyRole.OTHER)
        .field("channel", dev.privseg.core.schema.FieldType.CATEGORICAL,
            dev.privseg.core.schema.PrivacyRole.OTHER)
        .build();
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    String[] channels = {"email", "sms", "post", "app", null};
    List<Row> rows = new java.util.ArrayList<>();
    dev.privseg.core.dataset.DatasetBuilder local = dev.privseg.core.dataset.Dataset
        .builder(schema);
    for (int i = 0; i < 300; i++) {
      Integer age = r.nextInt(8) == 0 ? null : 18 + r.nextInt(70);
      String note = r.nextInt(8) == 0 ? null : Long.toString(r.nextLong(1_000_000), 36);
      String channel = channels[r.nextInt(1 + r.nextInt(channels.length))];
      Row row = org.apache.spark.sql.RowFactory.create("C-" + i, age, note, channel);
      rows.add(row);
      local.addRow(b -> {
        for (int f = 0; f < 4; f++) {
          b.setObject(f, row.get(f));
        }
      });
    }
    Map<String, Coarsening> coarsening = new LinkedHashMap<>();
    coarsening.put("note", Coarsen.prefix(2));
    coarsening.put("age", Coarsen.bands(10));
    MinimizationRules rules = new MinimizationRules(List.of("age", "note", "channel"),
        List.of(), coarsening, List.of(), Optional.empty());
    org.apache.spark.sql.types.StructType struct = new org.apache.spark.sql.types.StructType()
        .add("id", org.apache.spark.sql.types.DataTypes.StringType)
        .add("age", org.apache.spark.sql.types.DataTypes.IntegerType)
        .add("note", org.apache.spark.sql.types.DataTypes.StringType)
        .add("channel", org.apache.spark.sql.types.DataTypes.StringType);
    Dataset<Row> accepted = SparkInput.accepted(new SparkInput(schema).tagged(LocalSpark
        .session().createDataFrame(rows, struct).repartition(3)), schema.names());
    SparkMinimize.Minimized spark = new SparkMinimize(rules, "id").run(accepted, schema, AT);

    dev.privseg.core.dataset.Dataset expected = rules.apply(local.build(), List.of("id"))
        .dataset();
    assertThat(spark.dictionaries().keySet()).containsExactlyInAnyOrder("age", "note");
    for (String name : spark.dictionaries().keySet()) {
      assertThat(spark.dictionaries().get(name)).as(name).isEqualTo(
          ((dev.privseg.core.dataset.CategoricalColumn) expected.column(name)).dictionary());
    }
    java.util.Set<String> channelsHeld = new java.util.HashSet<>();
    for (Row row : rows) {
      if (row.get(3) != null) {
        channelsHeld.add(row.getString(3));
      }
    }
    assertThat(spark.held()).containsOnlyKeys("channel");
    assertThat(spark.held().get("channel")).isEqualTo(channelsHeld);
  }

  @Test
  void aMistakeInTheRulesIsReportedInTheLocalStagesWords() {
    Dataset<Row> accepted = SparkInput.accepted(new SparkInput(SparkInputProperties.SCHEMA)
        .tagged(LocalSpark.session().createDataFrame(SparkInputProperties.rows(1, 10),
            SparkInputProperties.STRUCT)), SparkInputProperties.SCHEMA.names());
    MinimizationRules wrong = new MinimizationRules(List.of("age", "note"), List.of(),
        Map.of("note", Coarsen.bands(5)), List.of(), Optional.empty());
    dev.privseg.core.dataset.Dataset none = dev.privseg.core.dataset.Dataset
        .builder(SparkInputProperties.SCHEMA).build();
    String local = catchMessage(() -> wrong.apply(none, List.of("id")));
    assertThatThrownBy(() -> new SparkMinimize(wrong, "id")
        .run(accepted, SparkInputProperties.SCHEMA, AT))
        .isInstanceOf(ConfigurationException.class).hasMessage(local);
  }

  @Test
  void aRuleThatCannotReachTheExecutorsIsNamed() {
    Coarsening local = new Coarsening() {
      @Override
      public Column apply(Column column) {
        return column;
      }

      @Override
      public String description() {
        return "as is";
      }
    };
    MinimizationRules rules = new MinimizationRules(List.of("age"), List.of(),
        Map.of("age", local), List.of(), Optional.empty());
    Dataset<Row> accepted = SparkInput.accepted(new SparkInput(SparkInputProperties.SCHEMA)
        .tagged(LocalSpark.session().createDataFrame(SparkInputProperties.rows(1, 10),
            SparkInputProperties.STRUCT)), SparkInputProperties.SCHEMA.names());
    assertThatThrownBy(() -> new SparkMinimize(rules, "id")
        .run(accepted, SparkInputProperties.SCHEMA, AT))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("field 'age' is coarsened by a rule (as is) that cannot be sent to Spark's "
            + "executors: its class does not implement java.io.Serializable");
  }

  private static String catchMessage(Runnable r) {
    try {
      r.run();
    } catch (ConfigurationException e) {
      return e.getMessage();
    }
    throw new AssertionError("the local stage accepted the rules");
  }
}
