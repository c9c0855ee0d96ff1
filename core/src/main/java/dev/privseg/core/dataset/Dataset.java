package dev.privseg.core.dataset;

import dev.privseg.core.Checks;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable, columnar table: one primitive {@link Column} per {@link Field} of its
 * {@link Schema}, all of the same length. Row selection and column projection create new datasets
 * and never change this one; projection shares columns, selection copies only primitive arrays.
 * Thread-safe.
 *
 * <p>{@link #toString()} shows the shape only, never values.
 */
public final class Dataset {
  private final Schema schema;
  private final Column[] columns;
  private final int rowCount;
  private final ReadReport readReport;

  Dataset(Schema schema, Column[] columns, int rowCount, ReadReport readReport) {
    this.schema = schema;
    this.columns = columns;
    this.rowCount = rowCount;
    this.readReport = readReport;
  }

  /** Starts building a dataset of {@code schema} row by row. */
  public static DatasetBuilder builder(Schema schema) {
    return new DatasetBuilder(Checks.notNull(schema, "schema"));
  }

  /** Assembles a dataset from ready columns, which must all have the same length. */
  public static Dataset of(List<? extends Column> columns) {
    Checks.check(!columns.isEmpty(), "a dataset needs at least one column");
    int rows = columns.get(0).size();
    Schema.Builder schema = Schema.builder();
    for (Column c : columns) {
      Checks.check(c.size() == rows, "column '%s' has %s rows but column '%s' has %s", c.name(),
          c.size(), columns.get(0).name(), rows);
      schema.add(c.field());
    }
    return new Dataset(schema.build(), columns.toArray(new Column[0]), rows,
        ReadReport.allAccepted(rows));
  }

  /** The schema of the columns, in order. */
  public Schema schema() {
    return schema;
  }

  /** The number of rows. */
  public int rowCount() {
    return rowCount;
  }

  /** What the reader that made this dataset accepted and rejected. */
  public ReadReport readReport() {
    return readReport;
  }

  /** The columns, in schema order. */
  public List<Column> columns() {
    return List.of(columns);
  }

  /** The column of field {@code name}; throws naming it if there is none. */
  public Column column(String name) {
    return columns[schema.indexOf(name)];
  }

  /** The column of field {@code name} as {@code type}; throws naming the field otherwise. */
  public <C extends Column> C column(String name, Class<C> type) {
    Column c = column(name);
    Checks.check(type.isInstance(c), "field '%s' is stored as %s, not %s", name,
        c.getClass().getSimpleName(), type.getSimpleName());
    return type.cast(c);
  }

  /** A dataset of rows {@code rows} (0-based indices, in that order). */
  public Dataset select(int[] rows) {
    for (int r : rows) {
      if (r < 0 || r >= rowCount) {
        throw new IndexOutOfBoundsException("row index " + r + " outside 0.." + (rowCount - 1));
      }
    }
    Column[] out = new Column[columns.length];
    for (int i = 0; i < columns.length; i++) {
      out[i] = columns[i].select(rows);
    }
    return new Dataset(schema, out, rows.length, readReport);
  }

  /** A dataset of fields {@code names}, in that order, sharing this dataset's columns. */
  public Dataset project(List<String> names) {
    Column[] out = new Column[names.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = column(names.get(i));
    }
    return new Dataset(schema.project(names), out, rowCount, readReport);
  }

  /**
   * A dataset in which {@code column} replaces the column of the same name, or is appended if
   * there is none. The new column must have this dataset's row count.
   */
  public Dataset withColumn(Column column) {
    Checks.check(column.size() == rowCount, "column '%s' has %s rows, dataset has %s",
        column.name(), column.size(), rowCount);
    List<Column> out = new ArrayList<>(Arrays.asList(columns));
    if (schema.contains(column.name())) {
      out.set(schema.indexOf(column.name()), column);
    } else {
      out.add(column);
    }
    Schema.Builder s = Schema.builder();
    out.forEach(c -> s.add(c.field()));
    String subject = schema.subjectField().orElse(null);
    if (subject != null && column.name().equals(subject)
        && column.field().equals(schema.field(subject))) {
      s.subjectField(subject);
    } else if (subject != null && !column.name().equals(subject)) {
      s.subjectField(subject);
    }
    return new Dataset(s.build(), out.toArray(new Column[0]), rowCount, readReport);
  }

  @Override
  public String toString() {
    return "Dataset[rows=" + rowCount + ", fields=" + schema.names() + "]";
  }
}
