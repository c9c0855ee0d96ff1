package dev.privseg.anonymization.internal;

import dev.privseg.anonymization.model.PrivacyModel;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.NumberColumn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One sensitive field encoded for the privacy models: a dense code per row (a missing value is a
 * code of its own), the share of each code in the whole table, and whether codes are ordered
 * (numeric fields by value, categorical fields by a model's {@link PrivacyModel#sensitiveOrder()})
 * for the ordered earth mover's distance. Codes depend only on the distinct values (numbers by
 * value; categories in the order first seen, or the model's order), shares only on the counts.
 */
public final class SensitiveCodes {
  /** The field. */
  public final String field;
  /** The code of every row; null when encoded from counts. */
  public final int[] code;
  /** How many codes there are. */
  public final int distinct;
  /** The share of each code in the table. */
  public final double[] overall;
  /** Whether codes are in the field's order. */
  public final boolean ordered;

  private SensitiveCodes(String field, int[] code, int distinct, double[] overall,
      boolean ordered) {
    this.field = field;
    this.code = code;
    this.distinct = distinct;
    this.overall = overall;
    this.ordered = ordered;
  }

  /**
   * The codes of a field given by its distinct values, and where each given value's code goes.
   *
   * @param codes the field's codes, without rows or shares yet
   * @param remap the code of the value at each index of the given values (the last index, if the
   *     field has missing values, is the missing value)
   */
  public record Recoded(SensitiveCodes codes, int[] remap) {
    /** The code of the given value at {@code index}. */
    public int code(int index) {
      return remap[index];
    }
  }

  /** These codes with each code's share of {@code rows} rows from its count in {@code counts}. */
  public SensitiveCodes withShares(long[] counts, int rows) {
    double[] shares = new double[distinct];
    for (int c = 0; c < distinct; c++) {
      shares[c] = rows == 0 ? 0 : counts[c] / (double) rows;
    }
    return new SensitiveCodes(field, code, distinct, shares, ordered);
  }

  /** These codes and shares with {@code code} as the code of every row. */
  public SensitiveCodes withRows(int[] code) {
    return new SensitiveCodes(field, code, distinct, overall, ordered);
  }

  /**
   * The codes of field {@code field} whose distinct present values are {@code categories}
   * (first seen first) or, for a numeric field, {@code numbers} (any order, +0.0 for zero); the
   * missing value, if {@code missing}, comes last. Ordered as the first of {@code models} that
   * gives the field an order.
   *
   * @throws ConfigurationException if the order of the field does not list a category
   */
  public static Recoded of(String field, List<String> categories, double[] numbers,
      boolean missing, List<PrivacyModel> models) {
    int present = numbers != null ? numbers.length : categories.size();
    int distinct = present + (missing ? 1 : 0);
    int[] remap = new int[distinct];
    boolean ordered;
    if (numbers != null) {
      double[] sorted = numbers.clone();
      Arrays.sort(sorted);
      for (int v = 0; v < present; v++) {
        remap[v] = Arrays.binarySearch(sorted, numbers[v]);
      }
      ordered = true;
    } else {
      List<String> order = List.of();
      for (PrivacyModel m : models) {
        if (field.equals(m.sensitiveField()) && !m.sensitiveOrder().isEmpty()) {
          order = m.sensitiveOrder();
          break;
        }
      }
      ordered = !order.isEmpty();
      for (int v = 0; v < present; v++) {
        if (ordered) {
          remap[v] = order.indexOf(categories.get(v));
          if (remap[v] < 0) {
            throw new ConfigurationException("the order of sensitive field '" + field
                + "' does not list a category found in the data");
          }
        } else {
          remap[v] = v;
        }
      }
      if (ordered) {
        // Dense ranks over the categories present, in the declared order.
        int[] ranks = Arrays.stream(remap, 0, present).sorted().toArray();
        for (int v = 0; v < present; v++) {
          remap[v] = Arrays.binarySearch(ranks, remap[v]);
        }
      }
    }
    if (missing) {
      remap[present] = present;
    }
    return new Recoded(new SensitiveCodes(field, null, distinct, null, ordered), remap);
  }

  /** Encodes {@code column}, ordered as the first of {@code models} that gives it an order. */
  public static SensitiveCodes of(Column column, List<PrivacyModel> models) {
    int rows = column.size();
    int[] given;
    Recoded recoded;
    if (column instanceof NumberColumn num) {
      given = new int[rows];
      double[] numbers = Codes.numbers(num, given);
      Codes.fillMissing(given, numbers.length);
      recoded = of(column.name(), null, numbers, column.nullCount() > 0, models);
    } else {
      List<String> values = new ArrayList<>();
      given = Codes.base(column, values);
      Codes.fillMissing(given, values.size());
      recoded = of(column.name(), values, null, column.nullCount() > 0, models);
    }
    int[] codes = new int[rows];
    long[] counts = new long[recoded.codes().distinct];
    for (int r = 0; r < rows; r++) {
      codes[r] = recoded.code(given[r]);
      counts[codes[r]]++;
    }
    SensitiveCodes c = recoded.codes();
    return new SensitiveCodes(c.field, codes, c.distinct, null, c.ordered)
        .withShares(counts, rows);
  }
}
