package dev.privseg.core.schema;

import dev.privseg.core.Checks;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One declared field of a {@link Schema}.
 *
 * @param name the field name as it appears in the input (CSV header, map key, column label)
 * @param type how values are stored
 * @param role what the field means for privacy
 * @param required whether a missing value makes the row invalid
 * @param categories for {@link FieldType#CATEGORICAL} fields, the closed set of allowed labels, in
 *     their natural order; empty means the set is open and learned from the data
 */
public record Field(String name, FieldType type, PrivacyRole role, boolean required,
    List<String> categories) implements java.io.Serializable {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\- ]{0,127}");

  /** Validates the field declaration. */
  public Field {
    Checks.notNull(name, "field name");
    Checks.check(NAME.matcher(name).matches(),
        "field name must match %s but was '%s'", NAME.pattern(), name);
    Checks.notNull(type, "type of field '" + name + "'");
    Checks.notNull(role, "role of field '" + name + "'");
    categories = List.copyOf(Checks.notNull(categories, "categories of field '" + name + "'"));
    Checks.check(categories.isEmpty() || type == FieldType.CATEGORICAL,
        "field '%s': categories may only be declared for CATEGORICAL fields, not %s", name, type);
    Checks.check(categories.stream().distinct().count() == categories.size(),
        "field '%s': declared categories must be distinct", name);
  }

  /** An optional field with an open category set. */
  public static Field of(String name, FieldType type, PrivacyRole role) {
    return new Field(name, type, role, false, List.of());
  }

  /** Whether this field's categories are a closed, declared set. */
  public boolean hasClosedCategories() {
    return !categories.isEmpty();
  }

  /** Whether values of this field are stored as numbers ({@code double} or {@code long}). */
  public boolean isNumeric() {
    return type == FieldType.NUMERIC || type == FieldType.INTEGER;
  }

  /** Returns a copy with {@code required} set. */
  public Field withRequired(boolean required) {
    return new Field(name, type, role, required, categories);
  }
}
