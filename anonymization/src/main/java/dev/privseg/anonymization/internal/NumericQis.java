package dev.privseg.anonymization.internal;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.NumberColumn;
import dev.privseg.core.dataset.NumericColumn;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import java.util.ArrayList;
import java.util.List;

/**
 * Numeric quasi-identifiers gathered for Mondrian and MDAV: checks that every quasi-identifier of
 * the schema is named, that each is numeric and complete, and copies their values column-wise.
 */
public final class NumericQis {
  /** The fields, in the order given. */
  public final List<String> fields;
  /** values[q][row]. */
  public final double[][] values;
  /** Rows. */
  public final int rows;

  private NumericQis(List<String> fields, double[][] values, int rows) {
    this.fields = fields;
    this.values = values;
    this.rows = rows;
  }

  /** Reads {@code fields} of {@code data}; {@code method} names the caller in errors. */
  public static NumericQis of(Dataset data, List<String> fields, String method) {
    for (Field f : data.schema().fields()) {
      if (f.role() == PrivacyRole.QUASI_IDENTIFIER && !fields.contains(f.name())) {
        throw new ConfigurationException("field '" + f.name() + "' is a quasi-identifier but "
            + method + " was not given it; add it, or drop it in the minimize stage");
      }
    }
    double[][] values = new double[fields.size()][];
    for (int q = 0; q < fields.size(); q++) {
      String name = fields.get(q);
      if (!data.schema().contains(name)) {
        throw new ConfigurationException("quasi-identifier '" + name + "' of " + method
            + " is not in the data");
      }
      Column c = data.column(name);
      if (!(c instanceof NumberColumn num) || !c.field().isNumeric()) {
        throw new ConfigurationException("quasi-identifier '" + name + "' of " + method
            + " must be NUMERIC or INTEGER but is " + c.field().type());
      }
      if (c.nullCount() > 0) {
        throw new ConfigurationException("quasi-identifier '" + name + "' has " + c.nullCount()
            + " missing values; " + method + " needs complete values (impute them, or drop "
            + "those rows before the run)");
      }
      values[q] = new double[c.size()];
      for (int r = 0; r < c.size(); r++) {
        values[q][r] = num.asDouble(r);
      }
    }
    return new NumericQis(List.copyOf(fields), values, data.rowCount());
  }

  /**
   * {@code data} with each quasi-identifier replaced by {@code recoded[q]} (a NUMERIC column of
   * the same name and role).
   */
  public Dataset replace(Dataset data, double[][] recoded) {
    List<Column> out = new ArrayList<>();
    for (Column c : data.columns()) {
      int q = fields.indexOf(c.name());
      if (q < 0) {
        out.add(c);
      } else {
        Field f = c.field();
        out.add(NumericColumn.of(new Field(f.name(), FieldType.NUMERIC, f.role(), f.required(),
            List.of()), recoded[q]));
      }
    }
    return Dataset.of(out);
  }
}
