package dev.privseg.core.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.ConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaTest {

  @Test
  void builderKeepsOrderTypesRolesAndSubject() {
    Schema s = Schema.builder()
        .subjectId("id")
        .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
        .categorical("tier", PrivacyRole.OTHER, "bronze", "silver", "gold")
        .build();

    assertThat(s.names()).containsExactly("id", "age", "tier");
    assertThat(s.subjectField()).contains("id");
    assertThat(s.field("id").required()).isTrue();
    assertThat(s.field("tier").categories()).containsExactly("bronze", "silver", "gold");
    assertThat(s.indexOf("age")).isEqualTo(1);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.indexOf("email"))
        .isInstanceOf(dev.privseg.core.ConfigurationException.class)
        .hasMessage("no field 'email' in schema (fields: [id, age, tier])");
  }

  @Test
  void duplicateFieldNamesAreRejectedNamingTheField() {
    assertThatThrownBy(() -> Schema.builder()
        .field("age", FieldType.INTEGER, PrivacyRole.OTHER)
        .field("age", FieldType.NUMERIC, PrivacyRole.OTHER).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'age'");
  }

  @Test
  void unknownFieldLookupNamesTheFieldAndTheKnownOnes() {
    Schema s = Schema.builder().field("age", FieldType.INTEGER, PrivacyRole.OTHER).build();
    assertThatThrownBy(() -> s.field("income"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'income'").hasMessageContaining("age");
  }

  @Test
  void categoriesOnlyForCategoricalFields() {
    assertThatThrownBy(() -> new Field("age", FieldType.INTEGER, PrivacyRole.OTHER, false,
        java.util.List.of("a")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("field 'age'");
  }

  @Test
  void subjectFieldMustBeADirectIdentifier() {
    assertThatThrownBy(() -> Schema.builder()
        .field("id", FieldType.TEXT, PrivacyRole.OTHER).subjectField("id").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("subject field 'id'");
  }

  @Test
  void loadsYamlAndJsonToTheSameSchema(@TempDir Path dir) throws IOException {
    String yaml = """
        subjectId: customer_id
        fields:
          - {name: customer_id, type: identifier, role: direct_identifier}
          - {name: tenure, type: INTEGER, role: QUASI_IDENTIFIER, required: true}
          - name: contract
            type: categorical
            role: other
            categories: [Month-to-month, One year, Two year]
        """;
    String json = """
        {"subjectId": "customer_id", "fields": [
          {"name": "customer_id", "type": "IDENTIFIER", "role": "DIRECT_IDENTIFIER"},
          {"name": "tenure", "type": "INTEGER", "role": "QUASI_IDENTIFIER", "required": true},
          {"name": "contract", "type": "CATEGORICAL", "role": "OTHER",
           "categories": ["Month-to-month", "One year", "Two year"]}]}
        """;
    Files.writeString(dir.resolve("s.yaml"), yaml);
    Files.writeString(dir.resolve("s.json"), json);

    Schema fromYaml = Schema.load(dir.resolve("s.yaml"));
    Schema fromJson = Schema.load(dir.resolve("s.json"));

    assertThat(fromYaml).isEqualTo(fromJson);
    assertThat(fromYaml.field("customer_id").required()).isTrue();
    assertThat(fromYaml.field("tenure").required()).isTrue();
    assertThat(fromYaml.field("contract").hasClosedCategories()).isTrue();
  }

  @Test
  void badTypeInDocumentNamesFieldAndAllowedValues() {
    String yaml = "fields:\n  - {name: age, type: number, role: other}\n";
    assertThatThrownBy(() -> SchemaLoader.load(
        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), SchemaLoader.Format.YAML))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("schema field 'age' 'type'")
        .hasMessageContaining("NUMERIC");
  }

  @Test
  void toStringShowsShapeOnly() {
    Schema s = Schema.builder().subjectId("id").build();
    assertThat(s.toString()).isEqualTo("Schema[id:IDENTIFIER/DIRECT_IDENTIFIER]");
  }
}
