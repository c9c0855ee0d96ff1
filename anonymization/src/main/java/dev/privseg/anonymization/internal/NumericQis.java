package dev.privseg.anonymization.internal;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.NumberColumn;
import dev.privseg.core.dataset.NumericColumn;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.anonymize.AnonymizedData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
            + " is not in the data; in a pipeline, keep it in the minimize stage");
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
   * The released data of a recoding anonymizer (Mondrian, MDAV) that suppresses nothing: every
   * row, quasi-identifiers replaced by {@code recoded}, with the summary every such record holds.
   *
   * @param data the input
   * @param recoded recoded[q][row]
   * @param k the k the recoding was made for
   * @param unitsKey what a class is called in the summary ("partitions", "groups")
   * @param units how many there are
   * @param metric the information-loss metric's name
   * @param loss its value
   * @param started {@link System#nanoTime()} at the start
   * @param how how a released row carries its class's values, for the guarantee
   */
  public AnonymizedData release(Dataset data, double[][] recoded, int k, String unitsKey,
      int units, String metric, double loss, long started, String how) {
    int[] sizes = RiskSummary.classSizes(recoded, rows);
    int smallest = Integer.MAX_VALUE;
    for (int s : sizes) {
      smallest = Math.min(smallest, s);
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put(unitsKey, units);
    summary.put("rowsSuppressed", 0);
    Map<String, Object> achieved = new LinkedHashMap<>();
    achieved.put("k", smallest);
    summary.put("achieved", achieved);
    summary.put("metric", metric);
    summary.put("informationLoss", RiskSummary.round(loss));
    summary.put("riskBefore", RiskSummary.prosecutor(RiskSummary.classSizes(values, rows), null,
        rows, 0.2));
    summary.put("riskAfter", RiskSummary.prosecutor(sizes, null, rows, 0.2));
    summary.put("riskThreshold", 0.2);
    summary.put("searchMillis", Math.round((System.nanoTime() - started) / 1e5) / 10.0);
    int[] all = new int[rows];
    for (int r = 0; r < rows; r++) {
      all[r] = r;
    }
    return new AnonymizedData(replace(data, recoded), all, summary, List.of(
        k + "-anonymity holds for every released row (quasi-identifiers " + fields + "): each "
            + how + ", shared by at least " + (smallest - 1) + " others",
        "no row was suppressed"), fields);
  }

  /**
   * {@code data} with each quasi-identifier replaced by {@code recoded[q]} (a NUMERIC column of
   * the same name and role).
   */
  private Dataset replace(Dataset data, double[][] recoded) {
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
