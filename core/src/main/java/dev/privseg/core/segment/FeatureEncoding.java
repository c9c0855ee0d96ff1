package dev.privseg.core.segment;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.CategoricalColumn;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.NumberColumn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a {@link FeatureMatrix} turned fields into features, kept so that other rows can be placed
 * in the same feature space: for a numeric field the mean subtracted and the scale applied (one
 * over the standard deviation, 0 for a constant field), for a categorical field its categories,
 * one feature each, in order. Rows encoded later get the same features whatever their own mean or
 * categories: a value the encoding does not list is encoded like a missing one (all zeros), so a
 * row's features depend on that row alone. Holds aggregates and category labels, never a row.
 *
 * @param features the fields, in feature order
 */
public record FeatureEncoding(List<Feature> features) {

  /**
   * One field's encoding.
   *
   * @param field the field's name
   * @param categorical whether the field is one-hot encoded
   * @param mean for a numeric field, the mean subtracted (0 for a categorical one)
   * @param scale for a numeric field, the factor applied after subtracting the mean (0 for a
   *     categorical one)
   * @param categories for a categorical field, its categories in feature order (empty for a
   *     numeric one)
   */
  public record Feature(String field, boolean categorical, double mean, double scale,
      List<String> categories) {

    /** Checks the values and copies the categories. */
    public Feature {
      Checks.notBlank(field, "feature field");
      Checks.check(Double.isFinite(mean) && Double.isFinite(scale),
          "the encoding of field '%s' must have a finite mean and scale", field);
      categories = List.copyOf(categories);
      Checks.check(categorical || categories.isEmpty(),
          "numeric field '%s' cannot list categories", field);
    }

    /** The number of features this field takes: 1, or one per category. */
    @JsonIgnore
    public int width() {
      return categorical ? categories.size() : 1;
    }
  }

  /** Checks that the fields are distinct and copies the list. */
  public FeatureEncoding {
    features = List.copyOf(features);
    Checks.check(!features.isEmpty(), "an encoding needs at least one field");
    Checks.check(features.stream().map(Feature::field).distinct().count() == features.size(),
        "an encoding lists each field once");
  }

  /** The fields, in feature order. */
  @JsonIgnore
  public List<String> fields() {
    return features.stream().map(Feature::field).toList();
  }

  /** The feature names: the field name, or {@code field=label} for a one-hot column. */
  @JsonIgnore
  public List<String> featureNames() {
    List<String> names = new ArrayList<>();
    for (Feature f : features) {
      if (f.categorical()) {
        for (String label : f.categories()) {
          names.add(f.field() + "=" + label);
        }
      } else {
        names.add(f.field());
      }
    }
    return names;
  }

  /**
   * The encoding {@link FeatureMatrix#encode} gives {@code fields} of {@code dataset}: numeric
   * fields' means and standard deviations from the dataset, categorical fields' dictionaries.
   *
   * @throws ConfigurationException naming a field that cannot be a feature
   */
  public static FeatureEncoding fit(Dataset dataset, List<String> fields) {
    Checks.check(!fields.isEmpty(), "segmentation needs at least one feature field");
    List<Feature> features = new ArrayList<>();
    for (String f : fields) {
      Column c = dataset.column(f);
      if (!FeatureMatrix.canEncode(c)) {
        throw new ConfigurationException("field '" + f + "' of type " + c.field().type()
            + " cannot be a segmentation feature; keep numeric or categorical fields, or "
            + "coarsen it to categories");
      }
      if (c instanceof CategoricalColumn cat) {
        features.add(new Feature(f, true, 0, 0, cat.dictionary()));
      } else {
        double[] meanAndScale = FeatureMatrix.standardization((NumberColumn) c);
        features.add(new Feature(f, false, meanAndScale[0], meanAndScale[1], List.of()));
      }
    }
    return new FeatureEncoding(features);
  }

  /**
   * Encodes every row of {@code dataset} with this encoding, keeping {@code dataset} as the
   * matrix's values.
   *
   * @throws ConfigurationException naming a field that is missing from {@code dataset} or of
   *     another kind (numeric where the encoding has categories, or the reverse)
   */
  public FeatureMatrix encode(Dataset dataset) {
    Checks.notNull(dataset, "dataset");
    int rows = dataset.rowCount();
    List<String> names = featureNames();
    int cols = names.size();
    double[] data = new double[Math.multiplyExact(rows, cols)];
    int offset = 0;
    for (Feature f : features) {
      if (!dataset.schema().contains(f.field())) {
        throw new ConfigurationException("field '" + f.field() + "' of the feature encoding is "
            + "not in the data; keep it in the minimize stage");
      }
      Column c = dataset.column(f.field());
      if (f.categorical()) {
        if (!(c instanceof CategoricalColumn cat)) {
          throw new ConfigurationException("field '" + f.field() + "' was encoded as "
              + "categories but is " + c.field().type() + " in the data");
        }
        int[] index = index(cat, f.categories());
        for (int r = 0; r < rows; r++) {
          int code = cat.code(r);
          int j = code < 0 ? -1 : index[code];
          if (j >= 0) {
            data[r * cols + offset + j] = 1.0;
          }
        }
      } else {
        if (!(c instanceof NumberColumn n) || !c.field().isNumeric()) {
          throw new ConfigurationException("field '" + f.field() + "' was encoded as a number "
              + "but is " + c.field().type() + " in the data");
        }
        for (int r = 0; r < rows; r++) {
          data[r * cols + offset] = n.isNull(r) ? 0.0 : (n.asDouble(r) - f.mean()) * f.scale();
        }
      }
      offset += f.width();
    }
    return FeatureMatrix.encoded(data, rows, names, dataset, this);
  }

  /** For each code of {@code column}, its feature within {@code categories}, or -1. */
  private static int[] index(CategoricalColumn column, List<String> categories) {
    List<String> dictionary = column.dictionary();
    int[] index = new int[dictionary.size()];
    if (dictionary.equals(categories)) {
      for (int code = 0; code < index.length; code++) {
        index[code] = code;
      }
      return index;
    }
    Map<String, Integer> position = new HashMap<>();
    for (int j = 0; j < categories.size(); j++) {
      position.put(categories.get(j), j);
    }
    for (int code = 0; code < index.length; code++) {
      index[code] = position.getOrDefault(dictionary.get(code), -1);
    }
    return index;
  }

  @Override
  public String toString() {
    return "FeatureEncoding" + fields();
  }
}
