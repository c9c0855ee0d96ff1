package dev.privseg.anonymization.dp;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.CategoricalColumn;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.NumberColumn;
import dev.privseg.core.segment.FeatureMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Features for differentially private fits, scaled from what the host declared and never from the
 * data: numeric fields from their declared bounds to {@code [-1, 1]}, categorical fields one-hot
 * over their declared categories.
 */
final class DpFeatures {
  private DpFeatures() {}

  /**
   * Refuses a categorical column whose categories the schema does not declare: which labels occur
   * (a label held by one person, or by a subject the gate excluded) must not reach a release.
   */
  static CategoricalColumn declared(CategoricalColumn c, String what) {
    if (!c.field().hasClosedCategories()) {
      throw new ConfigurationException(what + " needs declared categories for categorical field '"
          + c.name() + "' (Schema.Builder.categorical(name, role, categories...), or a coarsening "
          + "with a fixed set of labels such as Coarsen.bands); categories are never learned from "
          + "the data, which would reveal labels that only some people hold");
    }
    return c;
  }

  /** The rows of {@code data} as a matrix in {@code [-1, 1]}; see the class. */
  static FeatureMatrix encode(Dataset data, Map<String, double[]> bounds, String what) {
    List<String> names = new ArrayList<>();
    List<Column> columns = new ArrayList<>();
    for (Column c : data.columns()) {
      if (c instanceof NumberColumn && c.field().isNumeric()) {
        if (!bounds.containsKey(c.name())) {
          throw new ConfigurationException(what + " needs declared bounds for numeric feature '"
              + c.name() + "' (bounds(\"" + c.name() + "\", min, max)); scaling from the data "
              + "would leak");
        }
        names.add(c.name());
      } else if (c instanceof CategoricalColumn cat) {
        for (String label : declared(cat, what).dictionary()) {
          names.add(c.name() + "=" + label);
        }
      } else {
        throw new ConfigurationException(what + " cannot use field '" + c.name() + "' of type "
            + c.field().type() + "; keep numeric or categorical fields, or coarsen it to "
            + "declared categories");
      }
      columns.add(c);
    }
    int n = data.rowCount();
    int d = names.size();
    double[] x = new double[Math.multiplyExact(n, d)];
    int offset = 0;
    for (Column c : columns) {
      if (c instanceof NumberColumn num) {
        double[] b = bounds.get(c.name());
        double mid = (b[0] + b[1]) / 2;
        double half = (b[1] - b[0]) / 2;
        for (int r = 0; r < n; r++) {
          x[r * d + offset] = num.isNull(r) ? 0
              : Math.max(-1, Math.min(1, (num.asDouble(r) - mid) / half));
        }
        offset++;
      } else {
        CategoricalColumn cat = (CategoricalColumn) c;
        for (int r = 0; r < n; r++) {
          if (cat.code(r) >= 0) {
            x[r * d + offset + cat.code(r)] = 1;
          }
        }
        offset += cat.cardinality();
      }
    }
    return FeatureMatrix.of(x, n, names);
  }
}
