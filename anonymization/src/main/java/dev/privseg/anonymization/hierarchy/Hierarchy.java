package dev.privseg.anonymization.hierarchy;

import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.CategoricalColumn;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.LongColumn;
import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.FieldType;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A generalization hierarchy for one field: every value has a label at each level, from the value
 * itself (level 0) to total suppression ({@code *}, the top level). Immutable and thread-safe.
 *
 * <p>Loaded from CSV in ARX's format ({@link #fromCsv}): one row per value, one column per level.
 * Applying a hierarchy to data that holds a value it does not cover fails, naming the field and
 * never the value.
 */
public final class Hierarchy {
  /** The label of the top level: suppressed. */
  public static final String SUPPRESSED = "*";

  private final String field;
  private final Map<String, String[]> levels;
  private final int height;

  private Hierarchy(String field, Map<String, String[]> levels, int height) {
    this.field = field;
    this.levels = levels;
    this.height = height;
  }

  /**
   * Reads an ARX hierarchy: {@code delimiter}-separated rows, the first column the value, then one
   * column per level; a top level of {@code *} is added if the file has none.
   */
  public static Hierarchy fromCsv(String field, Path file, char delimiter) throws IOException {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return fromCsv(field, in, delimiter);
    }
  }

  /** As {@link #fromCsv(String, Path, char)}, from a reader (not closed). */
  public static Hierarchy fromCsv(String field, Reader in, char delimiter) throws IOException {
    Checks.notBlank(field, "field");
    Map<String, String[]> levels = new LinkedHashMap<>();
    int height = -1;
    try (CSVParser parser = CSVParser.parse(in, CSVFormat.DEFAULT.builder()
        .setDelimiter(delimiter).setIgnoreEmptyLines(true).get())) {
      for (CSVRecord r : parser) {
        List<String> row = new ArrayList<>(r.toList());
        if (!row.get(row.size() - 1).equals(SUPPRESSED)) {
          row.add(SUPPRESSED);
        }
        if (height < 0) {
          height = row.size();
        }
        if (row.size() != height) {
          throw new ConfigurationException("hierarchy of field '" + field + "': row "
              + r.getRecordNumber() + " has " + row.size() + " levels but the first has "
              + height);
        }
        levels.put(row.get(0), row.toArray(new String[0]));
      }
    }
    Checks.check(height > 0, "hierarchy of field '%s' is empty", field);
    return new Hierarchy(field, levels, height);
  }

  /** The field this hierarchy generalizes. */
  public String field() {
    return field;
  }

  /** The number of levels, the value itself (0) and suppression (the last) included. */
  public int height() {
    return height;
  }

  /** The label of {@code value} at {@code level}; throws naming the field if it is not covered. */
  public String generalize(String value, int level) {
    Checks.check(level >= 0 && level < height, "level of field '%s' must be 0..%s but was %s",
        field, height - 1, level);
    String[] row = levels.get(value);
    if (row == null) {
      throw new ConfigurationException("hierarchy of field '" + field
          + "' does not cover a value found in the data");
    }
    return row[level];
  }

  /**
   * The codes of {@code column}'s rows generalized to {@code level}: equal labels share a code, a
   * missing value gets -1. The column may be categorical, text or integer.
   */
  public int[] codes(Column column, int level) {
    int n = column.size();
    int[] out = new int[n];
    Map<String, Integer> labels = new HashMap<>();
    for (int r = 0; r < n; r++) {
      if (column.isNull(r)) {
        out[r] = -1;
        continue;
      }
      String label = generalize(valueOf(column, r), level);
      out[r] = labels.computeIfAbsent(label, k -> labels.size());
    }
    return out;
  }

  private String valueOf(Column c, int r) {
    if (c instanceof CategoricalColumn cat) {
      return cat.label(cat.code(r));
    }
    if (c instanceof StringColumn s) {
      return s.get(r);
    }
    if (c instanceof LongColumn l && c.field().type() == FieldType.INTEGER) {
      return Long.toString(l.get(r));
    }
    Field f = c.field();
    throw new ConfigurationException("field '" + f.name() + "' of type " + f.type()
        + " cannot be generalized with a value hierarchy");
  }

  @Override
  public String toString() {
    return "Hierarchy[" + field + ", " + levels.size() + " values, " + height + " levels]";
  }
}
