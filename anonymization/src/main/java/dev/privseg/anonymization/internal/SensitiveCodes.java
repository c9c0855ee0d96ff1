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
 * for the ordered earth mover's distance.
 */
public final class SensitiveCodes {
  /** The field. */
  public final String field;
  /** The code of every row. */
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

  /** Encodes {@code column}, ordered as the first of {@code models} that gives it an order. */
  public static SensitiveCodes of(Column column, List<PrivacyModel> models) {
    String field = column.name();
    int rows = column.size();
    List<String> order = List.of();
    for (PrivacyModel m : models) {
      if (field.equals(m.sensitiveField()) && !m.sensitiveOrder().isEmpty()) {
        order = m.sensitiveOrder();
        break;
      }
    }
    int[] codes;
    int distinct;
    boolean ordered;
    if (column instanceof NumberColumn num) {
      double[] values = new double[rows];
      int m = 0;
      for (int r = 0; r < rows; r++) {
        if (!column.isNull(r)) {
          values[m++] = num.asDouble(r);
        }
      }
      double[] sorted = Arrays.stream(values, 0, m).sorted().distinct().toArray();
      codes = new int[rows];
      for (int r = 0; r < rows; r++) {
        codes[r] = column.isNull(r) ? sorted.length : Arrays.binarySearch(sorted, num.asDouble(r));
      }
      distinct = sorted.length + (column.nullCount() > 0 ? 1 : 0);
      ordered = true;
    } else {
      List<String> values = new ArrayList<>();
      codes = Codes.base(column, values);
      Codes.fillMissing(codes, values.size());
      distinct = values.size() + (column.nullCount() > 0 ? 1 : 0);
      ordered = !order.isEmpty();
      if (ordered) {
        int[] rank = new int[distinct];
        for (int v = 0; v < values.size(); v++) {
          rank[v] = order.indexOf(values.get(v));
          if (rank[v] < 0) {
            throw new ConfigurationException("the order of sensitive field '" + field
                + "' does not list a category found in the data");
          }
        }
        // Dense ranks over the categories present, in the declared order.
        int[] present = Arrays.stream(rank, 0, values.size()).sorted().toArray();
        for (int v = 0; v < values.size(); v++) {
          rank[v] = Arrays.binarySearch(present, rank[v]);
        }
        if (distinct > values.size()) {
          rank[values.size()] = values.size();
        }
        for (int r = 0; r < rows; r++) {
          codes[r] = rank[codes[r]];
        }
      }
    }
    double[] overall = new double[distinct];
    for (int c : codes) {
      overall[c] += 1.0 / rows;
    }
    return new SensitiveCodes(field, codes, distinct, overall, ordered);
  }
}
