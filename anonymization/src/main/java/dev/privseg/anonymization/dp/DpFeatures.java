package dev.privseg.anonymization.dp;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.CategoricalColumn;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.NumberColumn;
import dev.privseg.core.segment.kmeans.Chunk;
import dev.privseg.core.segment.kmeans.ChunkedRows;
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
    declared(c.field(), what);
    return c;
  }

  /** As {@link #declared(CategoricalColumn, String)}, for a field. */
  static void declared(dev.privseg.core.schema.Field field, String what) {
    if (!field.hasClosedCategories()) {
      throw new ConfigurationException(what + " needs declared categories for categorical field '"
          + field.name() + "' (Schema.Builder.categorical(name, role, categories...), or a coarsening "
          + "with a fixed set of labels such as Coarsen.bands); categories are never learned from "
          + "the data, which would reveal labels that only some people hold");
    }
  }

  /**
   * How the fields of {@code fields} become features: numeric ones scaled from {@code bounds},
   * categorical ones one-hot over their declared categories.
   *
   * @throws ConfigurationException naming a numeric field without bounds, a categorical field
   *     without declared categories, or a field of another type
   */
  static DpKMeans.Scaling scaling(dev.privseg.core.schema.Schema fields,
      Map<String, double[]> bounds, String what) {
    List<String> names = new ArrayList<>();
    List<double[]> numeric = new ArrayList<>();
    for (dev.privseg.core.schema.Field f : fields.fields()) {
      if (f.isNumeric()) {
        double[] b = bounds.get(f.name());
        if (b == null) {
          throw new ConfigurationException(what + " needs declared bounds for numeric feature '"
              + f.name() + "' (bounds(\"" + f.name() + "\", min, max)); scaling from the data "
              + "would leak");
        }
        names.add(f.name());
        numeric.add(b);
      } else if (f.type() == dev.privseg.core.schema.FieldType.CATEGORICAL) {
        declared(f, what);
        for (String label : f.categories()) {
          names.add(f.name() + "=" + label);
        }
      } else {
        throw new ConfigurationException(what + " cannot use field '" + f.name() + "' of type "
            + f.type() + "; keep numeric or categorical fields, or coarsen it to "
            + "declared categories");
      }
    }
    return new DpKMeans.Scaling(names, numeric);
  }

  /** The rows of {@code data}, scaled by {@code scaling}, in chunks; see the class. */
  static ChunkedRows chunks(Dataset data, DpKMeans.Scaling scaling) {
    int n = data.rowCount();
    int d = scaling.features();
    Chunk[] chunks = new Chunk[(n + ChunkedRows.CHUNK - 1) / ChunkedRows.CHUNK];
    // Per categorical column, once: each code's place among the declared categories.
    java.util.Map<Column, int[]> declared = new java.util.IdentityHashMap<>();
    for (Column column : data.columns()) {
      if (column instanceof CategoricalColumn cat) {
        declared.put(column, declaredOrder(cat));
      }
    }
    for (int c = 0; c < chunks.length; c++) {
      int from = c * ChunkedRows.CHUNK;
      int rows = Math.min(ChunkedRows.CHUNK, n - from);
      double[] x = new double[rows * d];
      int offset = 0;
      int numeric = 0;
      for (Column column : data.columns()) {
        if (column instanceof NumberColumn num) {
          for (int r = 0; r < rows; r++) {
            x[r * d + offset] = num.isNull(from + r) ? 0
                : scaling.scale(numeric, num.asDouble(from + r));
          }
          offset++;
          numeric++;
        } else {
          CategoricalColumn cat = (CategoricalColumn) column;
          int[] at = declared.get(column);
          for (int r = 0; r < rows; r++) {
            int code = cat.code(from + r);
            if (code >= 0) {
              x[r * d + offset + at[code]] = 1;
            }
          }
          offset += column.field().categories().size();
        }
      }
      chunks[c] = new Chunk(c, d, x);
    }
    return ChunkedRows.inMemory(chunks, d,
        dev.privseg.core.segment.SegmentContext.of(Runnable::run, 1));
  }

  /** Per code of {@code c}'s dictionary, its label's place among the field's declared categories. */
  private static int[] declaredOrder(CategoricalColumn c) {
    List<String> declared = c.field().categories();
    int[] at = new int[c.cardinality()];
    for (int code = 0; code < at.length; code++) {
      at[code] = declared.indexOf(c.label(code));
      if (at[code] < 0) {
        throw new IllegalStateException("field '" + c.name() + "' holds a label outside its "
            + "declared categories");
      }
    }
    return at;
  }
}
