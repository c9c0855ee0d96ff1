package dev.privseg.core.minimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.CategoricalColumn;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.dataset.LongColumn;
import dev.privseg.core.dataset.NumericColumn;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoarsenTest {
  static Column column(FieldType type, String... values) {
    Schema s = Schema.builder().field("f", type, PrivacyRole.QUASI_IDENTIFIER).build();
    DatasetBuilder b = Dataset.builder(s);
    for (String v : values) {
      b.setText(0, v);
      b.endRow();
    }
    return b.build().column("f");
  }

  static List<String> labels(Column c) {
    CategoricalColumn cat = (CategoricalColumn) c;
    List<String> out = new ArrayList<>();
    for (int r = 0; r < cat.size(); r++) {
      out.add(cat.isNull(r) ? null : cat.label(cat.code(r)));
    }
    return out;
  }

  @Test
  void fixedWidthBandsLabelEachValueAndKeepNulls() {
    Column c = Coarsen.bands(10).apply(column(FieldType.INTEGER, "34", "40", "", "9"));
    assertThat(labels(c)).containsExactly("[30, 40)", "[40, 50)", null, "[0, 10)");
    assertThat(((CategoricalColumn) c).dictionary())
        .as("dictionary in natural band order").containsExactly("[0, 10)", "[30, 40)", "[40, 50)");
    assertThat(c.field().type()).isEqualTo(FieldType.CATEGORICAL);
    assertThat(c.field().role()).isEqualTo(PrivacyRole.QUASI_IDENTIFIER);
  }

  @Test
  void edgeBandsHaveOpenEnds() {
    Column c = Coarsen.bands(18, 30, 65).apply(column(FieldType.NUMERIC, "17.9", "18", "64.9",
        "65", "90"));
    assertThat(labels(c)).containsExactly("< 18", "[18, 30)", "[30, 65)", ">= 65", ">= 65");
  }

  @Test
  void edgeBandsDeclareEveryBandEvenWhereNoRowFalls() {
    CategoricalColumn c = (CategoricalColumn) Coarsen.bands(18, 30, 65)
        .apply(column(FieldType.NUMERIC, "40", ""));
    assertThat(c.field().categories()).containsExactly("< 18", "[18, 30)", "[30, 65)", ">= 65");
    assertThat(c.dictionary()).isEqualTo(c.field().categories());
    assertThat(c.label(c.code(0))).isEqualTo("[30, 65)");
    assertThat(c.code(1)).isEqualTo(-1);
  }

  @Test
  void edgesMustIncrease() {
    assertThatThrownBy(() -> Coarsen.bands(10, 5))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("must increase");
  }

  @Test
  void prefixShortensStringsAndCategories() {
    assertThat(labels(Coarsen.prefix(3).apply(column(FieldType.TEXT, "SW1A 1AA", "E1", ""))))
        .containsExactly("SW1", "E1", null);
    assertThat(labels(Coarsen.prefix(1).apply(column(FieldType.CATEGORICAL, "north", "nw"))))
        .containsExactly("n", "n");
  }

  @Test
  void datesBecomeMonthsOrYears() {
    Column d = column(FieldType.DATE, "2024-03-31", "2023-12-01");
    assertThat(labels(Coarsen.toMonth().apply(d))).containsExactly("2024-03", "2023-12");
    assertThat(labels(Coarsen.toYear().apply(d))).containsExactly("2024", "2023");
    Column t = column(FieldType.TIMESTAMP, "2024-03-31T23:30:00Z", "2024-04-01T00:30:00+02:00");
    assertThat(labels(Coarsen.toMonth().apply(t))).containsExactly("2024-03", "2024-03");
  }

  @Test
  void topAndBottomCodingClampAndKeepTheType() {
    NumericColumn top = (NumericColumn) Coarsen.topCode(100).apply(
        column(FieldType.NUMERIC, "50", "150.5", ""));
    assertThat(top.get(0)).isEqualTo(50);
    assertThat(top.get(1)).isEqualTo(100);
    assertThat(top.isNull(2)).isTrue();
    LongColumn bottom = (LongColumn) Coarsen.bottomCode(18).apply(
        column(FieldType.INTEGER, "12", "30"));
    assertThat(bottom.get(0)).isEqualTo(18);
    assertThat(bottom.get(1)).isEqualTo(30);
  }

  @Test
  void aRuleThatDoesNotFitTheTypeNamesTheField() {
    assertThatThrownBy(() -> Coarsen.toMonth().apply(column(FieldType.INTEGER, "3")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("field 'f' of type INTEGER cannot be coarsened with date to month");
    assertThatThrownBy(() -> Coarsen.bands(5).apply(column(FieldType.TEXT, "a")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("field 'f'");
  }

  @Test
  void minimizationRulesAreCheckedEagerly() {
    assertThatThrownBy(() -> new Minimization().keep("a").drop("a"))
        .hasMessageContaining("cannot be both kept and dropped");
    assertThatThrownBy(() -> new Minimization().coarsen("a", Coarsen.prefix(2)))
        .hasMessageContaining("must be kept before it can be coarsened");
    assertThatThrownBy(() -> new Minimization().rules())
        .hasMessageContaining("at least one field");
  }
}
