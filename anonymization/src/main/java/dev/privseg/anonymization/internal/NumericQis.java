package dev.privseg.anonymization.internal;

import dev.privseg.anonymization.model.PrivacyModel;
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
   * Before anything is released, every class of the recoded rows (partitions or groups whose
   * recoded values coincide form one) is checked against every model.
   *
   * @param data the input
   * @param recoded recoded[q][row]
   * @param models the models the recoding was made for
   * @param view a view over {@code models} and {@code data}
   * @param unitsKey what a class is called in the summary ("partitions", "groups")
   * @param units how many there are
   * @param metric the information-loss metric's name
   * @param loss its value
   * @param started {@link System#nanoTime()} at the start
   * @param how how a released row carries its class's values, for the guarantee
   * @throws IllegalStateException if a released class breaks a model, which a model that is not
   *     monotone under merging can cause
   */
  public AnonymizedData release(Dataset data, double[][] recoded, List<PrivacyModel> models,
      ClassView view, String unitsKey, int units, String metric, double loss, long started,
      String how) {
    int[] ids = RiskSummary.classIds(recoded, rows);
    int classes = 0;
    for (int id : ids) {
      classes = Math.max(classes, id + 1);
    }
    int[] start = new int[classes + 1];
    for (int id : ids) {
      start[id + 1]++;
    }
    int[] sizes = new int[classes];
    for (int c = 0; c < classes; c++) {
      sizes[c] = start[c + 1];
      start[c + 1] += start[c];
    }
    int[] byClass = new int[rows];
    int[] fill = java.util.Arrays.copyOf(start, classes);
    for (int r = 0; r < rows; r++) {
      byClass[fill[ids[r]]++] = r;
    }
    for (int c = 0; c < classes; c++) {
      if (!Models.holds(view, byClass, start[c], start[c + 1])) {
        PrivacyModel broken = Models.broken(models, view, byClass, start[c], start[c + 1]);
        throw new IllegalStateException("a released class of " + sizes[c] + " rows breaks "
            + (broken == null ? "the models together" : broken.criterion()) + "; nothing was "
            + "released (a privacy model must hold for the union of two classes that hold; if "
            + "this one does, report this as a defect of privseg)");
      }
    }
    Summary summary = summary(fields, models, RiskSummary.classSizes(values, rows), sizes, rows,
        unitsKey, units, metric, loss, started, how);
    int[] all = new int[rows];
    for (int r = 0; r < rows; r++) {
      all[r] = r;
    }
    return new AnonymizedData(replace(data, recoded), all, summary.summary(),
        summary.guarantees(), summary.covered());
  }

  /**
   * A recoding's record: its summary, guarantees and covered fields.
   *
   * @param summary the record's summary
   * @param guarantees what holds for every released row
   * @param covered the fields the guarantees cover
   */
  public record Summary(Map<String, Object> summary, List<String> guarantees,
      List<String> covered) {}

  /**
   * The record of a recoding of {@code rows} rows into classes of {@code sizesAfter} (the
   * original values' classes of {@code sizesBefore}), whatever engine made it; see
   * {@link #release} for the other parameters.
   */
  public static Summary summary(List<String> fields, List<PrivacyModel> models,
      int[] sizesBefore, int[] sizesAfter, int rows, String unitsKey, int units, String metric,
      double loss, long started, String how) {
    int smallest = Integer.MAX_VALUE;
    for (int size : sizesAfter) {
      smallest = Math.min(smallest, size);
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put(unitsKey, units);
    summary.put("rowsSuppressed", 0);
    Map<String, Object> achieved = new LinkedHashMap<>();
    achieved.put("k", smallest);
    summary.put("achieved", achieved);
    summary.put("metric", metric);
    summary.put("informationLoss", RiskSummary.round(loss));
    summary.put("riskBefore", RiskSummary.prosecutor(sizesBefore, null, rows, 0.2));
    summary.put("riskAfter", RiskSummary.prosecutor(sizesAfter, null, rows, 0.2));
    summary.put("riskThreshold", 0.2);
    summary.put("searchMillis", Math.round((System.nanoTime() - started) / 1e5) / 10.0);
    List<String> guarantees = new ArrayList<>();
    for (PrivacyModel m : models) {
      guarantees.add(m.criterion() + " holds for every released row (quasi-identifiers "
          + fields + "): each " + how);
    }
    guarantees.add("every released row shares its quasi-identifier values with at least "
        + (smallest - 1) + " others");
    guarantees.add("no row was suppressed");
    return new Summary(summary, guarantees, Models.covered(fields, models));
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
