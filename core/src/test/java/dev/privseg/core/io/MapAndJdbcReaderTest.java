package dev.privseg.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.dataset.DataFormatException;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.LongColumn;
import dev.privseg.core.dataset.NumericColumn;
import dev.privseg.core.dataset.RejectReason;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MapAndJdbcReaderTest {
  static final Schema SCHEMA = Schema.builder()
      .subjectId("id")
      .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
      .field("since", FieldType.DATE, PrivacyRole.OTHER)
      .build();

  @Test
  void mapsWithNumbersStringsAndDatesBecomeColumns() {
    Map<String, Object> second = new HashMap<>();
    second.put("id", "B");
    second.put("age", null);
    second.put("spend", "7.5");
    List<Map<String, ?>> rows = List.of(
        Map.of("id", "A", "age", 30, "spend", 12.5, "since", LocalDate.of(2024, 5, 1),
            "ignored", new Object()),
        second);

    Dataset d = MapReader.read(rows, SCHEMA);

    assertThat(d.rowCount()).isEqualTo(2);
    assertThat(d.column("age", LongColumn.class).get(0)).isEqualTo(30);
    assertThat(d.column("age").isNull(1)).isTrue();
    assertThat(d.column("spend", NumericColumn.class).get(1)).isEqualTo(7.5);
    assertThat(d.column("since", LongColumn.class).get(0))
        .isEqualTo(LocalDate.of(2024, 5, 1).toEpochDay());
    assertThat(d.column("since").isNull(1)).isTrue();
  }

  @Test
  void mapWithAFractionForAnIntegerIsRejectedNamingRowAndField() {
    List<Map<String, ?>> rows = List.of(Map.of("id", "A", "age", 30.5));
    assertThatThrownBy(() -> MapReader.read(rows, SCHEMA))
        .isInstanceOf(DataFormatException.class)
        .hasMessage("row 1, field 'age': value is not a valid INTEGER");
    assertThat(MapReader.read(rows, SCHEMA, true).readReport().rejected())
        .containsEntry(RejectReason.WRONG_TYPE, 1L);
  }

  @Test
  void resultSetFromARealDatabaseBecomesColumns() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:readers;DB_CLOSE_DELAY=-1");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE customers (ID VARCHAR(10), AGE INT, SPEND DECIMAL(10,2), "
          + "SINCE DATE, NOTE VARCHAR(100))");
      s.execute("INSERT INTO customers VALUES ('A', 30, 12.50, DATE '2024-05-01', 'x'), "
          + "('B', NULL, 7.25, NULL, 'y')");
      try (ResultSet rs = s.executeQuery("SELECT * FROM customers ORDER BY ID")) {
        Dataset d = JdbcReader.read(rs, SCHEMA);

        assertThat(d.rowCount()).isEqualTo(2);
        assertThat(d.column("id", StringColumn.class).get(1)).isEqualTo("B");
        assertThat(d.column("age").isNull(1)).isTrue();
        assertThat(d.column("spend", NumericColumn.class).get(0)).isEqualTo(12.5);
        assertThat(d.column("since", LongColumn.class).get(0))
            .isEqualTo(LocalDate.of(2024, 5, 1).toEpochDay());
      }
    }
  }
}
