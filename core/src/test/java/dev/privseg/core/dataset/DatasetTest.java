package dev.privseg.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetTest {
  static final Schema SCHEMA = Schema.builder()
      .subjectId("id")
      .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
      .categorical("tier", PrivacyRole.OTHER, "bronze", "silver", "gold")
      .field("since", FieldType.DATE, PrivacyRole.OTHER)
      .build();

  static Dataset sample() {
    DatasetBuilder b = Dataset.builder(SCHEMA);
    String[][] rows = {
        {"a", "31", "10.5", "gold", "2024-01-15"},
        {"b", "", "0", "bronze", ""},
        {"c", "45", "", "silver", "2023-12-31"},
        {"d", "52", "99.25", "", "2020-02-29"}};
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        b.setText(i, row[i]);
      }
      b.endRow();
    }
    return b.build();
  }

  @Test
  void storesEachTypeInPrimitiveColumnsWithNullMasks() {
    Dataset d = sample();

    assertThat(d.rowCount()).isEqualTo(4);
    LongColumn age = d.column("age", LongColumn.class);
    assertThat(age.get(0)).isEqualTo(31);
    assertThat(age.isNull(1)).isTrue();
    assertThat(age.nullCount()).isEqualTo(1);
    NumericColumn spend = d.column("spend", NumericColumn.class);
    assertThat(spend.get(3)).isEqualTo(99.25);
    assertThat(spend.isNull(2)).isTrue();
    CategoricalColumn tier = d.column("tier", CategoricalColumn.class);
    assertThat(tier.label(tier.code(0))).isEqualTo("gold");
    assertThat(tier.code(3)).isEqualTo(-1);
    assertThat(tier.dictionary()).containsExactly("bronze", "silver", "gold");
    LongColumn since = d.column("since", LongColumn.class);
    assertThat(LocalDate.ofEpochDay(since.get(3))).isEqualTo(LocalDate.of(2020, 2, 29));
    assertThat(d.readReport()).isEqualTo(new ReadReport(4, 4, java.util.Map.of()));
  }

  @Test
  void selectCopiesRowsInOrderWithTheirNulls() {
    Dataset d = sample().select(new int[] {3, 1});

    assertThat(d.rowCount()).isEqualTo(2);
    assertThat(d.column("id", StringColumn.class).get(0)).isEqualTo("d");
    assertThat(d.column("age", LongColumn.class).isNull(1)).isTrue();
    assertThat(d.column("tier", CategoricalColumn.class).isNull(0)).isTrue();
  }

  @Test
  void selectRejectsRowsOutsideTheDataset() {
    assertThatThrownBy(() -> sample().select(new int[] {4}))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void projectSharesColumnsAndKeepsOnlyNamedFields() {
    Dataset full = sample();
    Dataset p = full.project(List.of("spend", "age"));

    assertThat(p.schema().names()).containsExactly("spend", "age");
    assertThat(p.column("age")).isSameAs(full.column("age"));
    assertThat(p.schema().subjectField()).isEmpty();
    assertThatThrownBy(() -> p.column("id")).isInstanceOf(ConfigurationException.class);
    // A projection without a subject field can be projected again.
    assertThat(p.project(List.of("age")).schema().names()).containsExactly("age");
  }

  @Test
  void aPartOfALargerInputNumbersItsRowsFromWhereItStarts() {
    DatasetBuilder b = Dataset.builder(SCHEMA).firstRowNumber(10_001);
    b.setText(0, "x");
    b.endRow();
    assertThatThrownBy(b::endRow).hasMessage("row 10002, field 'id': required value is missing");
    b.discardRow(RejectReason.MISSING_REQUIRED);
    assertThat(b.build().readReport()).isEqualTo(new ReadReport(2, 1,
        java.util.Map.of(RejectReason.MISSING_REQUIRED, 1L)));

    DatasetBuilder started = Dataset.builder(SCHEMA);
    started.setText(0, "x");
    started.endRow();
    assertThatThrownBy(() -> started.firstRowNumber(5))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Dataset.builder(SCHEMA).firstRowNumber(0))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("first row number must be >= 1 but was 0");
  }

  @Test
  void missingRequiredValueRejectsTheWholeRow() {
    DatasetBuilder b = Dataset.builder(SCHEMA);
    b.setText(1, "40");
    assertThatThrownBy(b::endRow)
        .isInstanceOf(DataFormatException.class)
        .hasMessage("row 1, field 'id': required value is missing");
    b.discardRow(RejectReason.MISSING_REQUIRED);
    b.setText(0, "x");
    b.endRow();

    Dataset d = b.build();
    assertThat(d.rowCount()).isEqualTo(1);
    assertThat(d.column("age").isNull(0)).as("staged value of the rejected row is gone").isTrue();
    assertThat(d.readReport().rejected()).containsEntry(RejectReason.MISSING_REQUIRED, 1L);
  }

  @Test
  void toStringNeverShowsValues() {
    Dataset d = sample();
    assertThat(d.toString()).isEqualTo("Dataset[rows=4, fields=[id, age, spend, tier, since]]");
    assertThat(d.column("id").toString()).doesNotContain("\"a\"").contains("rows=4");
  }

  @Test
  void nullMaskCountsAcrossWordBoundaries() {
    NullMask.Builder b = new NullMask.Builder();
    for (int i = 0; i < 200; i++) {
      b.append(i % 3 == 0);
    }
    NullMask m = b.build();
    assertThat(m.nullCount()).isEqualTo(67);
    assertThat(m.isNull(198)).isTrue();
    assertThat(m.isNull(199)).isFalse();
    assertThat(m.select(new int[] {0, 1, 129}).nullCount()).isEqualTo(2);
  }
}
