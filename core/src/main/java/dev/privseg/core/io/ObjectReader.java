package dev.privseg.core.io;

import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.DataFormatException;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.Schema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads the host's own objects (entities, records, DTOs: a CRM's {@code Customer}) into a
 * {@link Dataset}, through one accessor per schema field, with no reflection:
 *
 * <pre>{@code
 * Dataset customers = ObjectReader.<Customer>of(schema)
 *     .field("customer_id", Customer::id)
 *     .field("age", Customer::age)
 *     .field("spend_12m", c -> c.orders().totalSpend())
 *     .read(crm.activeCustomers());
 * }</pre>
 *
 * Every schema field needs an accessor, so a forgotten field is an error rather than a column
 * of missing values. An accessor may return a number, a string, a {@code LocalDate}, an
 * {@code Instant}, a JDBC date, or {@code null} for a missing value. A value that does not fit
 * its field throws {@link DataFormatException} naming the row (counted from 1) and the field,
 * never the value; in lenient mode the row is skipped and counted in the read report instead.
 *
 * <p>Immutable: each method returns a new reader, and a configured reader can be kept and used
 * from several threads.
 *
 * @param <T> the type of the objects read
 */
public final class ObjectReader<T> {
  private final Schema schema;
  private final Map<String, Function<? super T, ?>> accessors;
  private final boolean lenient;

  private ObjectReader(Schema schema, Map<String, Function<? super T, ?>> accessors,
      boolean lenient) {
    this.schema = schema;
    this.accessors = accessors;
    this.lenient = lenient;
  }

  /** A strict reader for {@code schema} with no accessors yet. */
  public static <T> ObjectReader<T> of(Schema schema) {
    return new ObjectReader<>(Checks.notNull(schema, "schema"), Map.of(), false);
  }

  /**
   * This reader with {@code accessor} giving the value of schema field {@code name}.
   *
   * @throws ConfigurationException if the schema has no such field or it already has an
   *     accessor
   */
  public ObjectReader<T> field(String name, Function<? super T, ?> accessor) {
    Checks.notNull(name, "field name");
    Checks.notNull(accessor, "accessor of field '" + name + "'");
    Checks.check(schema.fields().stream().anyMatch(f -> f.name().equals(name)),
        "the schema has no field '%s'", name);
    Checks.check(!accessors.containsKey(name), "field '%s' already has an accessor", name);
    Map<String, Function<? super T, ?>> more = new LinkedHashMap<>(accessors);
    more.put(name, accessor);
    Map<String, Function<? super T, ?>> frozen = Collections.unmodifiableMap(more);
    return new ObjectReader<>(schema, frozen, lenient);
  }

  /** This reader skipping and counting bad rows ({@code true}) or throwing on the first. */
  public ObjectReader<T> lenient(boolean lenient) {
    return new ObjectReader<>(schema, accessors, lenient);
  }

  /**
   * Reads {@code objects} in iteration order, one row each.
   *
   * @throws ConfigurationException if a schema field has no accessor, or an object is null
   * @throws DataFormatException in strict mode, at the first value that does not fit its field
   */
  public Dataset read(Iterable<? extends T> objects) {
    Checks.notNull(objects, "objects");
    List<Field> fields = schema.fields();
    List<Function<? super T, ?>> ordered = new ArrayList<>(fields.size());
    List<String> missing = new ArrayList<>();
    for (Field f : fields) {
      Function<? super T, ?> accessor = accessors.get(f.name());
      if (accessor == null) {
        missing.add(f.name());
      }
      ordered.add(accessor);
    }
    if (!missing.isEmpty()) {
      throw new ConfigurationException("no accessor for schema field(s) " + missing
          + "; give each one with field(name, accessor)");
    }
    DatasetBuilder builder = Dataset.builder(schema).lenient(lenient);
    for (T object : objects) {
      if (object == null) {
        throw new ConfigurationException("object for row " + builder.rowNumber() + " is null");
      }
      builder.addRow(b -> {
        for (int i = 0; i < ordered.size(); i++) {
          b.setObject(i, ordered.get(i).apply(object));
        }
      });
    }
    return builder.build();
  }

  @Override
  public String toString() {
    return "ObjectReader[fields " + accessors.keySet() + (lenient ? ", lenient" : "") + "]";
  }
}
