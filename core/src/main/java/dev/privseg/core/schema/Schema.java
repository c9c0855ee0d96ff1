package dev.privseg.core.schema;

import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The declared shape of a dataset: its fields in order, their types and privacy roles, and which
 * direct identifier names the data subject. Immutable and thread-safe.
 *
 * <pre>{@code
 * Schema schema = Schema.builder()
 *     .subjectId("customer_id")
 *     .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
 *     .categorical("region", PrivacyRole.QUASI_IDENTIFIER, "north", "south")
 *     .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
 *     .build();
 * }</pre>
 *
 * <p>Schemas can also be loaded from YAML or JSON with {@link #load(Path)}; see
 * {@link SchemaLoader} for the format.
 */
public final class Schema {
  private final List<Field> fields;
  private final Map<String, Integer> index;
  private final String subjectField;

  private Schema(List<Field> fields, String subjectField) {
    List<Field> copy = new ArrayList<>(fields);
    if (subjectField != null) {
      // The subject identifier is always required: a row without one has no lawful basis.
      for (int i = 0; i < copy.size(); i++) {
        if (copy.get(i).name().equals(subjectField)) {
          copy.set(i, copy.get(i).withRequired(true));
        }
      }
    }
    this.fields = List.copyOf(copy);
    this.index = new HashMap<>();
    for (int i = 0; i < this.fields.size(); i++) {
      Integer previous = index.put(this.fields.get(i).name(), i);
      Checks.check(previous == null, "field '%s' is declared twice", this.fields.get(i).name());
    }
    this.subjectField = subjectField;
    if (subjectField != null) {
      Checks.check(index.containsKey(subjectField), "subject field '%s' is not declared",
          subjectField);
      Field subject = field(subjectField);
      Checks.check(subject.type() == FieldType.IDENTIFIER
              && subject.role() == PrivacyRole.DIRECT_IDENTIFIER,
          "subject field '%s' must be an IDENTIFIER with role DIRECT_IDENTIFIER", subjectField);
    }
  }

  /** Starts an empty schema. */
  public static Builder builder() {
    return new Builder();
  }

  /** Loads a schema from a {@code .yaml}, {@code .yml} or {@code .json} file. */
  public static Schema load(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return SchemaLoader.load(in, SchemaLoader.Format.forFileName(file.getFileName().toString()));
    }
  }

  /** The fields, in declaration order. */
  public List<Field> fields() {
    return fields;
  }

  /** The number of fields. */
  public int size() {
    return fields.size();
  }

  /** The field called {@code name}; throws naming it if there is none. */
  public Field field(String name) {
    return fields.get(indexOf(name));
  }

  /** Whether a field called {@code name} is declared. */
  public boolean contains(String name) {
    return index.containsKey(name);
  }

  /** The position of field {@code name}; throws naming it if there is none. */
  public int indexOf(String name) {
    Integer i = index.get(name);
    if (i == null) { // not Checks.check: the field list would be built on every lookup
      throw new ConfigurationException(
          String.format("no field '%s' in schema (fields: %s)", name, names()));
    }
    return i;
  }

  /** The field names, in order. */
  public List<String> names() {
    return fields.stream().map(Field::name).toList();
  }

  /** The direct identifier that names the data subject of each row, if one was declared. */
  public Optional<String> subjectField() {
    return Optional.ofNullable(subjectField);
  }

  /** A schema holding only {@code names}, in the given order; the subject field stays if kept. */
  public Schema project(List<String> names) {
    List<Field> kept = new ArrayList<>(names.size());
    for (String name : names) {
      kept.add(field(name));
    }
    return new Schema(kept,
        subjectField != null && names.contains(subjectField) ? subjectField : null);
  }

  /** A schema with {@code replacement} in place of the field of the same name. */
  public Schema replace(Field replacement) {
    List<Field> copy = new ArrayList<>(fields);
    copy.set(indexOf(replacement.name()), replacement);
    return new Schema(copy, subjectField);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Schema s && s.fields.equals(fields)
        && java.util.Objects.equals(s.subjectField, subjectField);
  }

  @Override
  public int hashCode() {
    return fields.hashCode() * 31 + (subjectField == null ? 0 : subjectField.hashCode());
  }

  @Override
  public String toString() {
    return "Schema" + fields.stream().map(f -> f.name() + ":" + f.type() + "/" + f.role()).toList();
  }

  /** Builds a {@link Schema}; validates each field as it is added. Not thread-safe. */
  public static final class Builder {
    private final List<Field> fields = new ArrayList<>();
    private String subjectField;

    private Builder() {}

    /** Declares the direct identifier that names the data subject; it is required. */
    public Builder subjectId(String name) {
      Checks.check(subjectField == null, "subject id already declared as '%s'", subjectField);
      fields.add(new Field(name, FieldType.IDENTIFIER, PrivacyRole.DIRECT_IDENTIFIER, true,
          List.of()));
      subjectField = name;
      return this;
    }

    /** Declares an optional field. */
    public Builder field(String name, FieldType type, PrivacyRole role) {
      fields.add(Field.of(name, type, role));
      return this;
    }

    /** Declares a required field: a missing value makes the row invalid. */
    public Builder requiredField(String name, FieldType type, PrivacyRole role) {
      fields.add(new Field(name, type, role, true, List.of()));
      return this;
    }

    /** Declares a categorical field with a closed set of labels (in their natural order). */
    public Builder categorical(String name, PrivacyRole role, String... categories) {
      fields.add(new Field(name, FieldType.CATEGORICAL, role, false, Arrays.asList(categories)));
      return this;
    }

    /** Adds a fully specified field. */
    public Builder add(Field field) {
      fields.add(Checks.notNull(field, "field"));
      return this;
    }

    /** Declares {@code name}, already added as an IDENTIFIER/DIRECT_IDENTIFIER, the subject id. */
    public Builder subjectField(String name) {
      subjectField = name;
      return this;
    }

    /** Builds the schema; throws if a name repeats or the subject field is not an identifier. */
    public Schema build() {
      Checks.check(!fields.isEmpty(), "a schema needs at least one field");
      return new Schema(fields, subjectField);
    }
  }
}
