package dev.privseg.core.io;

import dev.privseg.core.Checks;
import dev.privseg.core.dataset.DataFormatException;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.Schema;
import java.util.List;
import java.util.Map;

/**
 * Reads rows given as maps from field name to value (as a host's ORM or JSON layer hands them
 * over) into a {@link Dataset}. Keys not declared in the schema are ignored; a declared key that
 * is absent or maps to {@code null} is a missing value. Values may be numbers, strings,
 * {@code LocalDate}, {@code Instant} or JDBC dates.
 */
public final class MapReader {
  private MapReader() {}

  /** Reads {@code rows} strictly: the first bad row throws {@link DataFormatException}. */
  public static Dataset read(Iterable<? extends Map<String, ?>> rows, Schema schema) {
    return read(rows, schema, false);
  }

  /** Reads {@code rows}; when {@code lenient}, bad rows are skipped and counted. */
  public static Dataset read(Iterable<? extends Map<String, ?>> rows, Schema schema,
      boolean lenient) {
    Checks.notNull(rows, "rows");
    DatasetBuilder builder = Dataset.builder(schema).lenient(lenient);
    List<Field> fields = schema.fields();
    for (Map<String, ?> row : rows) {
      builder.addRow(b -> {
        for (int i = 0; i < fields.size(); i++) {
          b.setObject(i, row.get(fields.get(i).name()));
        }
      });
    }
    return builder.build();
  }
}
