package dev.privseg.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.CategoricalColumn;
import dev.privseg.core.dataset.DataFormatException;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.LongColumn;
import dev.privseg.core.dataset.NumericColumn;
import dev.privseg.core.dataset.RejectReason;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectReaderTest {
  /** A host's own domain type, as a CRM would hand it over. */
  record Customer(String id, Integer age, double spend, String region, LocalDate since,
      String email) {}

  static final Schema SCHEMA = Schema.builder()
      .subjectId("id")
      .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
      .categorical("region", PrivacyRole.QUASI_IDENTIFIER, "north", "south")
      .field("since", FieldType.DATE, PrivacyRole.OTHER)
      .build();

  static final ObjectReader<Customer> READER = ObjectReader.<Customer>of(SCHEMA)
      .field("id", Customer::id)
      .field("age", Customer::age)
      .field("spend", Customer::spend)
      .field("region", Customer::region)
      .field("since", Customer::since);

  @Test
  void objectsBecomeColumnsThroughTheirAccessors() {
    List<Customer> crm = List.of(
        new Customer("C1", 34, 120.5, "north", LocalDate.of(2021, 3, 1), "a@example.org"),
        new Customer("C2", null, 0, "south", null, "b@example.org"));

    Dataset d = READER.read(crm);

    assertThat(d.rowCount()).isEqualTo(2);
    assertThat(d.column("id", StringColumn.class).get(1)).isEqualTo("C2");
    assertThat(d.column("age", LongColumn.class).get(0)).isEqualTo(34);
    assertThat(d.column("age").isNull(1)).isTrue();
    assertThat(d.column("spend", NumericColumn.class).get(0)).isEqualTo(120.5);
    assertThat(d.column("region", CategoricalColumn.class).label(1)).isEqualTo("south");
    assertThat(d.column("since", LongColumn.class).get(0))
        .isEqualTo(LocalDate.of(2021, 3, 1).toEpochDay());
    assertThat(d.column("since").isNull(1)).isTrue();
    // The e-mail address has no schema field, so it is never read.
    assertThat(d.schema().fields()).noneMatch(f -> f.name().equals("email"));
  }

  @Test
  void aValueThatDoesNotFitIsNamedByRowAndFieldNotValueOrSkippedWhenLenient() {
    List<Customer> crm = List.of(
        new Customer("C1", 34, 120.5, "north", null, null),
        new Customer("C2", 41, 80.0, "west-secret-place", null, null),
        new Customer("C3", 29, 10.0, "south", null, null));

    assertThatThrownBy(() -> READER.read(crm))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith("row 2, field 'region'")
        .hasMessageNotContaining("west-secret-place");

    Dataset d = READER.lenient(true).read(crm);
    assertThat(d.rowCount()).isEqualTo(2);
    assertThat(d.column("id", StringColumn.class).get(1)).isEqualTo("C3");
    assertThat(d.readReport().rejected()).containsEntry(RejectReason.UNKNOWN_CATEGORY, 1L);
  }

  @Test
  void everySchemaFieldNeedsExactlyOneAccessorOfAFieldTheSchemaHas() {
    ObjectReader<Customer> partial = ObjectReader.<Customer>of(SCHEMA)
        .field("id", Customer::id)
        .field("spend", Customer::spend);

    assertThatThrownBy(() -> partial.read(List.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("no accessor for schema field(s) [age, region, since]; give each one with "
            + "field(name, accessor)");
    assertThatThrownBy(() -> partial.field("email", Customer::email))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("the schema has no field 'email'");
    assertThatThrownBy(() -> partial.field("spend", Customer::spend))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("field 'spend' already has an accessor");
    assertThatThrownBy(() -> READER.read(Arrays.asList(
            new Customer("C1", 34, 1, "north", null, null), null)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("object for row 2 is null");
    assertThat(partial).hasToString("ObjectReader[fields [id, spend]]");
  }

  @Test
  void timestampsMayBeInstantsOrZonedTimesButNotLocalDateTimes() {
    record Visit(String id, Object at) {}
    Schema schema = Schema.builder()
        .subjectId("id")
        .field("at", FieldType.TIMESTAMP, PrivacyRole.OTHER)
        .build();
    ObjectReader<Visit> reader = ObjectReader.<Visit>of(schema)
        .field("id", Visit::id)
        .field("at", Visit::at);
    java.time.Instant instant = java.time.Instant.parse("2026-05-01T08:30:00Z");

    Dataset d = reader.read(List.of(
        new Visit("A", instant),
        new Visit("B", instant.atOffset(java.time.ZoneOffset.ofHours(2))),
        new Visit("C", instant.atZone(java.time.ZoneId.of("Europe/Paris")))));

    LongColumn at = d.column("at", LongColumn.class);
    for (int r = 0; r < 3; r++) {
      assertThat(at.get(r)).isEqualTo(instant.toEpochMilli());
    }
    assertThatThrownBy(() -> reader.read(List.of(
            new Visit("D", java.time.LocalDateTime.of(2026, 5, 1, 8, 30)))))
        .isInstanceOf(DataFormatException.class)
        .hasMessage("row 1, field 'at': a LocalDateTime cannot hold a TIMESTAMP");
  }
}
