package dev.privseg.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.SharedData;
import dev.privseg.core.dataset.CategoricalColumn;
import dev.privseg.core.dataset.DataFormatException;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.LongColumn;
import dev.privseg.core.dataset.NumericColumn;
import dev.privseg.core.dataset.ReadReport;
import dev.privseg.core.dataset.RejectReason;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {
  static final Schema SCHEMA = Schema.builder()
      .subjectId("id")
      .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .categorical("plan", PrivacyRole.OTHER, "basic", "plus")
      .add(new Field("spend", FieldType.NUMERIC, PrivacyRole.OTHER, true, List.of()))
      .build();

  static Dataset read(String csv, CsvReader reader) throws IOException {
    return reader.read(new StringReader(csv), SCHEMA);
  }

  @Test
  void matchesColumnsByHeaderAndNeverReadsUndeclaredOnes() throws IOException {
    String csv = "spend,secret_note,id,plan,age\n"
        + "12.5,\"loves, cats\",A1,plus,34\n"
        + "0,,A2,basic,\n";

    Dataset d = read(csv, CsvReader.defaults());

    assertThat(d.schema().names()).containsExactly("id", "age", "plan", "spend");
    assertThat(d.column("id", StringColumn.class).get(1)).isEqualTo("A2");
    assertThat(d.column("age", LongColumn.class).get(0)).isEqualTo(34);
    assertThat(d.column("age").isNull(1)).isTrue();
    assertThat(d.column("spend", NumericColumn.class).get(0)).isEqualTo(12.5);
    CategoricalColumn plan = d.column("plan", CategoricalColumn.class);
    assertThat(plan.label(plan.code(0))).isEqualTo("plus");
  }

  @Test
  void headerlessFilesFollowSchemaOrderAndOtherDelimiters() throws IOException {
    Dataset d = read("A1;34;plus;1.5\nA2;35;basic;2\n",
        CsvReader.builder().header(false).delimiter(';').build());
    assertThat(d.rowCount()).isEqualTo(2);
    assertThat(d.column("spend", NumericColumn.class).get(1)).isEqualTo(2.0);
  }

  @Test
  void aFileInAnotherCharsetIsNamedAsSuchAndReadsWithThatCharset(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
    java.nio.file.Path file = dir.resolve("latin1.csv");
    StringBuilder csv = new StringBuilder("id,age,plan,spend,city\n");
    for (int i = 0; i < 2_000; i++) { // past the reader's first buffer
      csv.append("A").append(i).append(",34,plus,1,").append(i == 1_500 ? "Z\u00fcrich" : "Bern")
          .append('\n');
    }
    java.nio.file.Files.writeString(file, csv, java.nio.charset.StandardCharsets.ISO_8859_1);

    assertThatThrownBy(() -> CsvReader.defaults().read(file, SCHEMA))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("the CSV input is not valid UTF-8 text; read it with the "
            + "character set it was written in")
        .hasNoCause();
    assertThatThrownBy(() -> CsvReader.defaults().read(java.nio.file.Files.newBufferedReader(
        file), SCHEMA)).hasMessageStartingWith("the CSV input is not valid text in the "
            + "character set it is read with;");
    Dataset d = CsvReader.builder().charset(java.nio.charset.StandardCharsets.ISO_8859_1).build()
        .read(file, SCHEMA);
    assertThat(d.rowCount()).isEqualTo(2_000);
  }

  @Test
  void aHeaderOfOneColumnHoldingAnotherSeparatorSuggestsIt() {
    assertThatThrownBy(() -> read("id;age;plan;spend\nA1;34;plus;1\n", CsvReader.defaults()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("CSV header has no column 'id' declared in the schema; the header is one "
            + "column holding ';', and split by ';' it has the schema's columns: if the file "
            + "is delimited by ';', say so (CsvReader.builder().delimiter(...), "
            + "input.delimiter in a spec)");
    assertThatThrownBy(() -> read("ident,age,plan,spend\n", CsvReader.defaults()))
        .hasMessage("CSV header has no column 'id' declared in the schema");
    assertThatThrownBy(() -> read("id,Age,plan,spend\n", CsvReader.defaults()))
        .hasMessage("CSV header has no column 'age' declared in the schema; the header has "
            + "'Age' (names must match exactly)");
  }

  /**
   * A file without a header, or delimited otherwise, has data in its first row: the error must
   * not quote it (it printed the whole first row of a headerless or ';'-delimited file).
   */
  @Test
  void aFirstRowOfDataIsNeverQuotedInTheError() {
    for (String csv : List.of("A1,34,plus,1\nA2,35,plus,2\n",
        "A1;34;plus;1\nA2;35;plus;2\n", "A1|34|plus|1\n", "A1\t34\tplus\t1\n",
        "a1,AGE,plus,1\n")) {
      assertThatThrownBy(() -> read(csv, CsvReader.defaults())).as(csv)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageStartingWith("CSV header has no column 'id' declared in the schema")
          .hasMessageNotContaining("A1").hasMessageNotContaining("a1")
          .hasMessageNotContaining("34").hasMessageNotContaining("plus");
    }
    assertThatThrownBy(() -> read("A1,34,plus,1\n", CsvReader.defaults()))
        .hasMessage("CSV header has no column 'id' declared in the schema; the first row has "
            + "none of the schema's column names: if the file has no header row, add one "
            + "naming the schema's columns, or read it with CsvReader.builder().header(false)");
  }

  @Test
  void optionalColumnsMayBeAbsentOnlyWhenAskedAndOnlyIfNotRequired() throws IOException {
    String csv = "id,plan,spend\nA1,plus,1\n";
    assertThatThrownBy(() -> read(csv, CsvReader.defaults()))
        .hasMessage("CSV header has no column 'age' declared in the schema");

    Dataset d = read(csv, CsvReader.builder().optionalColumns(true).build());
    assertThat(d.column("age", LongColumn.class).isNull(0)).isTrue();
    CategoricalColumn plan = d.column("plan", CategoricalColumn.class);
    assertThat(plan.label(plan.code(0))).isEqualTo("plus");
    assertThatThrownBy(() -> read("id,age,plan\nA1,3,plus\n",
        CsvReader.builder().optionalColumns(true).build()))
        .as("spend is required").hasMessage("CSV header has no column 'spend' declared in the "
            + "schema");
  }

  @Test
  void aDeclaredColumnTwiceInTheHeaderIsAmbiguous() throws IOException {
    assertThatThrownBy(() -> read("id,age,plan,spend,age\nA1,34,plus,1,35\n",
        CsvReader.defaults()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("CSV header has two columns named 'age' (columns 2 and 5): which one the "
            + "schema means is ambiguous");
    assertThat(read("id,age,plan,spend,note,note\nA1,34,plus,1,x,y\n", CsvReader.defaults())
        .rowCount()).as("an undeclared column may repeat: it is never read").isEqualTo(1);
  }

  @Test
  void paddedNumbersReadAndBlankOnesAreMissing() throws IOException {
    Dataset d = read("id, age, plan, spend\nA1,  34 ,plus, 1.5 \nA2,\t,basic,2\n",
        CsvReader.defaults());

    assertThat(d.column("age", LongColumn.class).get(0)).isEqualTo(34);
    assertThat(d.column("age", LongColumn.class).isNull(1)).isTrue();
    assertThat(d.column("spend", NumericColumn.class).get(0)).isEqualTo(1.5);
    assertThatThrownBy(() -> read("id,age,plan,spend\nA1,34,plus, \n", CsvReader.defaults()))
        .isInstanceOf(DataFormatException.class)
        .hasMessage("row 1, field 'spend': required value is missing");
  }

  @Test
  void wrongTypeNamesRowAndFieldButNeverTheValue() {
    String csv = "id,age,plan,spend\nA1,34,plus,1\nA2,CANARY-42x,basic,2\n";
    assertThatThrownBy(() -> read(csv, CsvReader.defaults()))
        .isInstanceOf(DataFormatException.class)
        .hasMessage("row 2, field 'age': value is not a valid INTEGER")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("CANARY"))
        .extracting(e -> ((DataFormatException) e).reason()).isEqualTo(RejectReason.WRONG_TYPE);
  }

  @Test
  void unknownCategoryOfAClosedSetIsRejected() {
    String csv = "id,age,plan,spend\nA1,34,platinum,1\n";
    assertThatThrownBy(() -> read(csv, CsvReader.defaults()))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("row 1, field 'plan'")
        .hasMessageNotContaining("platinum");
  }

  @Test
  void lenientModeSkipsAndCountsBadRowsPerReason() throws IOException {
    String csv = "id,age,plan,spend\n"
        + "A1,34,plus,1\n"
        + "A2,x,plus,1\n"        // wrong type
        + ",30,plus,1\n"         // missing required id
        + "A4,30,gold,1\n"       // unknown category
        + "A5,30,plus\n"         // too few fields
        + "A6,31,basic,3\n";

    Dataset d = read(csv, CsvReader.builder().lenient(true).build());

    assertThat(d.rowCount()).isEqualTo(2);
    assertThat(d.column("id", StringColumn.class).get(1)).isEqualTo("A6");
    assertThat(d.readReport().rowsRead()).isEqualTo(6);
    assertThat(d.readReport().rejected()).containsOnly(
        java.util.Map.entry(RejectReason.WRONG_TYPE, 1L),
        java.util.Map.entry(RejectReason.MISSING_REQUIRED, 1L),
        java.util.Map.entry(RejectReason.UNKNOWN_CATEGORY, 1L),
        java.util.Map.entry(RejectReason.MALFORMED_RECORD, 1L));
  }

  @Test
  void readsInPartsNumberingRowsFromTheStartOfTheFile(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
    StringBuilder csv = new StringBuilder("id,age,plan,spend\n");
    for (int i = 1; i <= 7; i++) {
      csv.append("A").append(i).append(",").append(i == 5 ? "x" : "3" + i).append(",plus,1\n");
    }
    java.nio.file.Path file = dir.resolve("parts.csv");
    java.nio.file.Files.writeString(file, csv);
    List<Dataset> parts = new java.util.ArrayList<>();

    ReadReport report = CsvReader.builder().lenient(true).build()
        .readBatches(file, SCHEMA, 2, parts::add);

    // Two accepted rows per part; row 5 is rejected, so the third part spans rows 5 to 7.
    assertThat(parts).extracting(Dataset::rowCount).containsExactly(2, 2, 2);
    assertThat(parts).extracting(p -> p.readReport().rowsRead()).containsExactly(2L, 2L, 3L);
    assertThat(parts.get(2).column("id", StringColumn.class).get(1)).isEqualTo("A7");
    assertThat(report).isEqualTo(new ReadReport(7, 6,
        java.util.Map.of(RejectReason.WRONG_TYPE, 1L)));
    // Strict: the error names the row of the file, not of its part, after the parts before it.
    List<Dataset> before = new java.util.ArrayList<>();
    assertThatThrownBy(() -> CsvReader.defaults().readBatches(file, SCHEMA, 2, before::add))
        .isInstanceOf(DataFormatException.class)
        .hasMessage("row 5, field 'age': value is not a valid INTEGER");
    assertThat(before).hasSize(2);
  }

  @Test
  void readingInPartsHandsOverAnEmptyInputOnceAndChecksTheBatchSize() throws IOException {
    List<Dataset> parts = new java.util.ArrayList<>();
    ReadReport report = CsvReader.defaults().readBatches(new StringReader("id,age,plan,spend\n"),
        SCHEMA, 10, parts::add);
    assertThat(parts).singleElement().extracting(Dataset::rowCount).isEqualTo(0);
    assertThat(report.rowsRead()).isZero();
    // A file of whole parts ends with the last full part, not an empty one.
    parts.clear();
    CsvReader.defaults().readBatches(new StringReader("id,age,plan,spend\nA1,3,plus,1\n"
        + "A2,3,plus,1\n"), SCHEMA, 1, parts::add);
    assertThat(parts).extracting(Dataset::rowCount).containsExactly(1, 1);
    assertThatThrownBy(() -> CsvReader.defaults().readBatches(new StringReader(""), SCHEMA, 0,
        parts::add)).isInstanceOf(ConfigurationException.class)
        .hasMessage("batchRows must be >= 1 but was 0");
  }

  @Test
  void headerWithoutADeclaredColumnIsAConfigurationError() {
    assertThatThrownBy(() -> read("id,age,plan\nA1,3,plus\n", CsvReader.defaults()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("CSV header has no column 'spend' declared in the schema");
  }

  @Test
  void brokenQuotingStopsWithARowNumber() {
    String csv = "id,age,plan,spend\nA1,3,plus,1\n\"A2,3,plus,1\n";
    assertThatThrownBy(() -> read(csv, CsvReader.builder().lenient(true).build()))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("row 2");
  }

  @Test
  void builderRejectsSameDelimiterAndQuote() {
    assertThatThrownBy(() -> CsvReader.builder().delimiter('"').build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("delimiter and quote must differ");
  }

  @Test
  void readsTheRealTelcoChurnFile() throws IOException {
    Schema telco = Schema.builder()
        .subjectId("customer_id")
        .categorical("churn", PrivacyRole.SENSITIVE, "No", "Yes")
        .field("tenure", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
        .field("contract", FieldType.CATEGORICAL, PrivacyRole.OTHER)
        .field("monthly_charges", FieldType.NUMERIC, PrivacyRole.OTHER)
        .field("total_charges", FieldType.NUMERIC, PrivacyRole.OTHER)
        .build();

    Dataset d = CsvReader.defaults().read(SharedData.file("telco_churn.csv"), telco);

    assertThat(d.rowCount()).isEqualTo(7043);
    assertThat(d.column("total_charges").nullCount()).isEqualTo(11);
    assertThat(d.column("contract", CategoricalColumn.class).dictionary())
        .containsExactlyInAnyOrder("Month-to-month", "One year", "Two year");
  }

  @Test
  void readsTheRealIncomeSurveyWithQuotedFieldsAndMissingValues() throws IOException {
    Schema income = Schema.builder()
        .subjectId("customer_id")
        .field("INCOME", FieldType.CATEGORICAL, PrivacyRole.SENSITIVE)
        .field("OCCUPATION", FieldType.CATEGORICAL, PrivacyRole.QUASI_IDENTIFIER)
        .field("AREA", FieldType.CATEGORICAL, PrivacyRole.QUASI_IDENTIFIER)
        .build();

    Dataset d = CsvReader.defaults().read(SharedData.file("income_survey.csv"), income);

    assertThat(d.rowCount()).isEqualTo(8993);
    assertThat(d.column("AREA").nullCount()).isEqualTo(913);
    assertThat(d.column("OCCUPATION").nullCount()).isEqualTo(136);
    assertThat(d.column("OCCUPATION", CategoricalColumn.class).dictionary())
        .contains("Student, HS or College");
  }
}
