package dev.privseg.anonymization.hierarchy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.anonymization.search.GeneralizationAnonymizer;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.io.MapReader;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HierarchyTest {
  static List<String> levels(Hierarchy h, String value) {
    List<String> out = new ArrayList<>();
    for (int l = 0; l < h.height(); l++) {
      out.add(h.generalize(value, l));
    }
    return out;
  }

  @Test
  void everyBuiltInHierarchyEndsInSuppression() {
    assertThat(levels(Hierarchy.intervals("age", 5, 10, 20), "37"))
        .containsExactly("37", "[35, 40)", "[30, 40)", "[20, 40)", "*");
    assertThat(levels(Hierarchy.dates("since"), "2024-03-07"))
        .containsExactly("2024-03-07", "2024-03", "2024-Q1", "2024", "*");
    assertThat(levels(Hierarchy.masking("zip", 3), "101"))
        .containsExactly("101", "10*", "1**", "*");
    assertThat(levels(Hierarchy.prefixes("zip", 3), "101"))
        .containsExactly("101", "10", "1", "*");
    assertThat(levels(Hierarchy.taxonomy("job", List.of("office/clerk", "field/nurse")),
        "nurse")).containsExactly("nurse", "field", "*");
    assertThat(levels(Hierarchy.ordinal("band", List.of("a", "b", "c", "d", "e"), 2, 4), "c"))
        .containsExactly("c", "c..d", "a..d", "*");
    assertThat(levels(Hierarchy.flat("sex"), "F")).containsExactly("F", "*");
  }

  @Test
  void quantileIntervalsHoldAboutEqualShares() {
    Schema schema = Schema.builder().field("spend", FieldType.INTEGER, PrivacyRole.OTHER).build();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      rows.add(Map.of("spend", i * i));
    }
    Dataset data = MapReader.read(rows, schema);
    Hierarchy h = Hierarchy.quantiles(data.column("spend"), 4, 2);

    assertThat(h.height()).isEqualTo(4);
    Map<String, Long> quarters = new java.util.TreeMap<>();
    for (int i = 0; i < 1000; i++) {
      quarters.merge(h.generalize(Integer.toString(i * i), 1), 1L, Long::sum);
    }
    assertThat(quarters.values()).containsOnly(250L);
    assertThat(h.generalize("0", 2)).isEqualTo("[0, 250000)");
    assertThatThrownBy(() -> h.generalize("-1", 1)).isInstanceOf(ConfigurationException.class)
        .hasMessage("hierarchy of field 'spend' does not cover a value found in the data");
  }

  @Test
  void badHierarchiesAreRejectedNamingTheField() {
    assertThatThrownBy(() -> Hierarchy.intervals("age", 5, 7))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("hierarchy of field 'age': each interval width must be a multiple of the one"
            + " before, so that intervals nest; 7 is not a multiple of 5");
    assertThatThrownBy(() -> Hierarchy.intervals("age", 2.5, 0))
        .hasMessage("hierarchy of field 'age': interval width number 2 must be positive");
    assertThatThrownBy(() -> Hierarchy.masking("zip", 3).generalize("12345", 1))
        .hasMessage("hierarchy of field 'zip' does not cover a value found in the data");
    // Labels that do not nest: two values share 'x' at level 1 but not at level 2.
    Hierarchy broken = Hierarchy.fromRows("code", List.of(List.of("a", "x", "p"),
        List.of("b", "x", "q")));
    Schema schema = Schema.builder().field("code", FieldType.CATEGORICAL,
        PrivacyRole.QUASI_IDENTIFIER).build();
    Dataset data = MapReader.read(List.of(Map.of("code", "a"), Map.of("code", "b")), schema);
    assertThatThrownBy(() -> GeneralizationAnonymizer.builder().hierarchy(broken).kAnonymity(2)
        .build().apply(data))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("hierarchy of field 'code' does not nest: values sharing a label at level 1 "
            + "have different labels at level 2");
  }

  /** A process that reads the same hierarchy content again gets what it read before. */
  @Test
  void aHierarchyFileIsReadOnceByContent(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    java.nio.file.Path file = dir.resolve("job.csv");
    java.nio.file.Files.writeString(file, "nurse;care\nclerk;office\n");
    Hierarchy first = Hierarchy.fromCsv("job", file, ';');
    java.nio.file.Path copy = dir.resolve("copy.csv");
    java.nio.file.Files.copy(file, copy);
    assertThat(Hierarchy.fromCsv("job", copy, ';')).as("same content: read once")
        .isSameAs(first);
    assertThat(Hierarchy.fromCsv("role", copy, ';')).as("another field")
        .isNotSameAs(first);

    java.nio.file.Files.writeString(file, "nurse;care\nclerk;care\n");
    Hierarchy changed = Hierarchy.fromCsv("job", file, ';');
    assertThat(changed).as("new content: read again").isNotSameAs(first);
    assertThat(changed.generalize("clerk", 1)).isEqualTo("care");
    assertThat(first.generalize("clerk", 1)).isEqualTo("office");
  }

  @Test
  void aHierarchyFileThatIsNotUtf8IsRefusedAsBefore(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
    java.nio.file.Path file = dir.resolve("latin1.csv");
    java.nio.file.Files.write(file, new byte[] {'a', ';', (byte) 0xE9, '\n'});
    assertThatThrownBy(() -> Hierarchy.fromCsv("x", file, ';'))
        .isInstanceOf(java.nio.charset.MalformedInputException.class);
  }
}
