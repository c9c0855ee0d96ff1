package dev.privseg.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.dataset.RejectReason;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Spark's read stage takes a {@code Dataset<Row>} as the local reader takes the same values:
 * the same rows rejected for the same reasons, the same values accepted.
 */
class SparkInputProperties {
  static final Schema SCHEMA = Schema.builder()
      .subjectId("id")
      .requiredField("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .categorical("region", PrivacyRole.QUASI_IDENTIFIER, "north", "south")
      .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
      .field("note", FieldType.TEXT, PrivacyRole.OTHER)
      .field("since", FieldType.DATE, PrivacyRole.OTHER)
      .field("seen", FieldType.TIMESTAMP, PrivacyRole.OTHER)
      .build();

  static final StructType STRUCT = new StructType()
      .add("id", DataTypes.StringType)
      .add("age", DataTypes.IntegerType)
      .add("region", DataTypes.StringType)
      .add("spend", DataTypes.DoubleType)
      .add("note", DataTypes.StringType)
      .add("since", DataTypes.DateType)
      .add("seen", DataTypes.TimestampType)
      .add("unused", DataTypes.StringType);

  /** Rows with every kind of value the reader must reject, now and then. */
  static List<Row> rows(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    String[] regions = {"north", "south", "west", "", null};
    double[] oddSpends = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    for (int i = 0; i < n; i++) {
      rows.add(RowFactory.create(
          r.nextInt(12) == 0 ? (r.nextBoolean() ? "" : null) : "C-" + i,
          r.nextInt(15) == 0 ? null : (Integer) (18 + r.nextInt(70)),
          regions[r.nextInt(10) < 7 ? r.nextInt(2) : r.nextInt(5)],
          r.nextInt(20) == 0 ? (Double) oddSpends[r.nextInt(3)]
              : r.nextInt(10) == 0 ? null : (Double) (r.nextDouble() * 1000),
          r.nextInt(4) == 0 ? "" : "note " + r.nextInt(5),
          r.nextInt(6) == 0 ? null : LocalDate.ofEpochDay(18_000 + r.nextInt(2_000)),
          r.nextInt(6) == 0 ? null
              : Instant.ofEpochSecond(1_700_000_000L + r.nextInt(1_000_000),
                  r.nextInt(1_000_000) * 1000L),
          "x"));
    }
    return rows;
  }

  @Property(tries = 12)
  void sparkRejectsAndAcceptsWhatTheLocalReaderDoes(@ForAll long seed) {
    List<Row> rows = rows(seed, 300);
    Dataset<Row> input = LocalSpark.session().createDataFrame(rows, STRUCT);
    SparkInput read = new SparkInput(SCHEMA);
    Dataset<Row> tagged = read.tagged(input);

    dev.privseg.core.dataset.Dataset expected = readLocally(rows);

    assertThat(expected.readReport().rejected()).as("the rows hold every kind of mistake")
        .containsOnlyKeys(RejectReason.WRONG_TYPE, RejectReason.UNKNOWN_CATEGORY,
            RejectReason.MISSING_REQUIRED);
    SparkInput.Counts counts = SparkInput.counts(read.tagged(input.repartition(3)));
    assertThat(counts.rows()).isEqualTo(rows.size());
    assertThat(counts.rejected()).isEqualTo(expected.readReport().rejected());

    List<Row> accepted = SparkInput.accepted(tagged, SCHEMA.names()).collectAsList();
    assertThat(accepted).hasSize(expected.rowCount());
    for (int r = 0; r < accepted.size(); r++) {
      for (int f = 0; f < SCHEMA.size(); f++) {
        Column column = expected.columns().get(f);
        assertThat(text(accepted.get(r).get(f))).as("row %s field %s", r, column.name())
            .isEqualTo(column.text(r));
      }
    }
  }

  /** The rows as the local reader takes them, in lenient mode. */
  static dev.privseg.core.dataset.Dataset readLocally(List<Row> rows) {
    DatasetBuilder local = dev.privseg.core.dataset.Dataset.builder(SCHEMA).lenient(true);
    for (Row row : rows) {
      local.addRow(b -> {
        for (int i = 0; i < SCHEMA.size(); i++) {
          b.setObject(i, row.get(i));
        }
      });
    }
    return local.build();
  }

  /** A Spark value as {@link Column#text} writes a local one. */
  static String text(Object v) {
    if (v instanceof Double d) {
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue())
          : Double.toString(d);
    }
    return v == null ? null : v.toString();
  }

  @Test
  void aColumnOutsideTheSchemaIsNeverRead(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    String path = dir.resolve("customers.parquet").toString();
    LocalSpark.session().createDataFrame(rows(1, 50), STRUCT).write().parquet(path);
    Dataset<Row> source = LocalSpark.session().read().parquet(path);
    Dataset<Row> accepted = SparkInput.accepted(new SparkInput(SCHEMA).tagged(source),
        List.of("id", "age"));
    String plan = accepted.queryExecution().executedPlan().toString();
    assertThat(plan).contains("ReadSchema: struct<id:string,age:int,region:string,")
        .doesNotContain("unused");
    assertThat(accepted.columns()).containsExactly("id", "age");
  }

  @Test
  void aMissingColumnOrOneOfAnotherTypeIsNamed() {
    StructType noAge = new StructType().add("id", DataTypes.StringType);
    Dataset<Row> empty = LocalSpark.session().createDataFrame(List.<Row>of(), noAge);
    assertThatThrownBy(() -> new SparkInput(SCHEMA).tagged(empty))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("field 'age' of the schema is not a column of the Spark input [id]");

    StructType ageAsBoolean = new StructType().add("id", DataTypes.StringType)
        .add("age", DataTypes.BooleanType);
    Dataset<Row> flag = LocalSpark.session().createDataFrame(List.<Row>of(), ageAsBoolean);
    assertThatThrownBy(() -> new SparkInput(SCHEMA).tagged(flag))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("field 'age' is INTEGER but the Spark input's column is boolean; cast it, or "
            + "read the source with a schema");

    Schema seenOnly = Schema.builder().subjectId("id")
        .field("seen", FieldType.TIMESTAMP, PrivacyRole.OTHER).build();
    StructType seenAsText = new StructType().add("id", DataTypes.StringType)
        .add("seen", DataTypes.StringType);
    Dataset<Row> text = LocalSpark.session().createDataFrame(List.<Row>of(), seenAsText);
    assertThatThrownBy(() -> new SparkInput(seenOnly).tagged(text))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageEndingWith("(timestamps are not read from text: Spark's and privseg's time "
            + "zones could differ)");
  }

  static final Schema TEXT_SCHEMA = Schema.builder()
      .subjectId("id")
      .requiredField("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
      .field("since", FieldType.DATE, PrivacyRole.OTHER)
      .build();

  /**
   * A file read by Spark's CSV reader with every column as text is read as privseg's reader
   * reads it: numbers, whole numbers and dates in privseg's plain forms, white space around them
   * ignored, blank ones missing, and a row rejected for any other text, for a number out of
   * range or a day that does not exist.
   */
  @Property(tries = 10)
  void textIsReadAsTheLocalReaderReadsAFile(@ForAll long seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    String[] ages = {"34", " 41 ", "+7", "-3", "0", "34.0", "1e3", "abc", "99999999999999999999",
        "", "  ", "\t12"};
    String[] spends = {"12.5", " .5", "5.", "1e3", "1E-2", "-0", "-0.0", "NaN", "Infinity",
        "0x10", "1d", "1e999", "", " ", "3,5", "007.50"};
    String[] sinces = {"2026-01-05", " 2025-12-31 ", "2026-02-30", "2026-1-5", "", "yesterday",
        "2024-02-29", "2023-02-29"};
    StringBuilder csv = new StringBuilder("id,age,spend,since\n");
    int n = 200;
    for (int i = 0; i < n; i++) {
      csv.append("C-").append(i).append(',')
          .append(quoted(ages[r.nextInt(ages.length)])).append(',')
          .append(quoted(spends[r.nextInt(spends.length)])).append(',')
          .append(quoted(sinces[r.nextInt(sinces.length)])).append('\n');
    }
    java.nio.file.Path file = java.nio.file.Files.createTempFile("privseg-text", ".csv");
    java.nio.file.Files.writeString(file, csv);
    dev.privseg.core.dataset.Dataset expected = dev.privseg.core.io.CsvReader.builder()
        .lenient(true).build().read(file, TEXT_SCHEMA);
    Dataset<Row> input = LocalSpark.session().read().option("header", "true")
        .option("ignoreLeadingWhiteSpace", "false").option("ignoreTrailingWhiteSpace", "false")
        .csv(file.toString());
    SparkInput read = new SparkInput(TEXT_SCHEMA);
    Dataset<Row> tagged = read.tagged(input);
    assertThat(SparkInput.counts(tagged).rejected())
        .isEqualTo(expected.readReport().rejected());
    List<Row> accepted = SparkInput.accepted(tagged, TEXT_SCHEMA.names()).collectAsList();
    assertThat(accepted).hasSize(expected.rowCount());
    for (int row = 0; row < accepted.size(); row++) {
      for (int f = 0; f < TEXT_SCHEMA.size(); f++) {
        Column column = expected.columns().get(f);
        assertThat(text(accepted.get(row).get(f))).as("row %s field %s", row, column.name())
            .isEqualTo(column.text(row));
      }
    }
    java.nio.file.Files.delete(file);
  }

  private static String quoted(String value) {
    return value.isEmpty() ? "" : "\"" + value + "\"";
  }
}
