package dev.privseg.core.segment;

import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.CategoricalColumn;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.NumberColumn;
import java.util.List;
import java.util.Optional;

/**
 * A dense, row-major {@code double} matrix of segmentation features: numeric fields standardized
 * to mean 0 and standard deviation 1 (missing values become 0, the mean), categorical fields
 * one-hot encoded (a missing value is all zeros). Immutable once built; {@link #data()} exposes the
 * backing array to segmenters for speed and must not be modified.
 */
public final class FeatureMatrix {
  private final double[] data;
  private final int rows;
  private final int cols;
  private final List<String> featureNames;
  /** The rows' values the matrix was encoded from, or null. */
  private final Dataset values;
  /** How the values were encoded, or null for a matrix made of an array. */
  private final FeatureEncoding encoding;

  private FeatureMatrix(double[] data, int rows, int cols, List<String> featureNames,
      Dataset values, FeatureEncoding encoding) {
    this.encoding = encoding;
    this.data = data;
    this.rows = rows;
    this.cols = cols;
    this.featureNames = List.copyOf(featureNames);
    this.values = values;
  }

  /**
   * Wraps a row-major array (not copied) of {@code rows} x {@code featureNames.size()}.
   *
   * @throws ConfigurationException if the sizes disagree, or if a value is NaN or infinite (the
   *     message names the row and feature, never the value)
   */
  public static FeatureMatrix of(double[] data, int rows, List<String> featureNames) {
    int cols = featureNames.size();
    Checks.check(rows >= 0 && data.length == (long) rows * cols,
        "data has %s values but %s rows x %s features were declared", data.length, rows, cols);
    requireFinite(data, cols, featureNames);
    return new FeatureMatrix(data, rows, cols, featureNames, null, null);
  }

  /** Segmenters rely on finite values: distances and bounds are meaningless with NaN in them. */
  private static void requireFinite(double[] data, int cols, List<String> names) {
    for (int i = 0; i < data.length; i++) {
      if (!Double.isFinite(data[i])) {
        throw new ConfigurationException(String.format(
            "feature matrix row %d, feature '%s' is not a finite number (NaN or infinite)",
            i / cols, names.get(i % cols)));
      }
    }
  }

  /**
   * Encodes {@code fields} of {@code dataset}, keeping {@code dataset} as the matrix's
   * {@link #values()}. Numeric and integer fields are standardized, categorical fields one-hot
   * encoded; text, identifier, date or timestamp fields cannot be features (coarsen them to
   * categories first).
   */
  public static FeatureMatrix encode(Dataset dataset, List<String> fields) {
    return FeatureEncoding.fit(dataset, fields).encode(dataset);
  }

  /** A matrix {@link FeatureEncoding#encode} made: checked for finite values. */
  static FeatureMatrix encoded(double[] data, int rows, List<String> names, Dataset values,
      FeatureEncoding encoding) {
    // standardizing values near Double.MAX_VALUE overflows
    requireFinite(data, names.size(), names);
    return new FeatureMatrix(data, rows, names.size(), names, values, encoding);
  }

  /**
   * This matrix with {@code values}, the same rows' values, at hand for segmenters that decide
   * from values (rules, k-prototypes, DP k-means).
   *
   * @throws ConfigurationException if {@code values} has another number of rows
   */
  public FeatureMatrix withValues(Dataset values) {
    Checks.notNull(values, "values");
    Checks.check(values.rowCount() == rows, "the values have %s rows but the matrix has %s",
        values.rowCount(), rows);
    return new FeatureMatrix(data, rows, cols, featureNames, values, encoding);
  }

  /**
   * The rows' values the matrix was encoded from (every field of the dataset given to
   * {@link #encode}, not only the encoded ones), or empty for a matrix made {@link #of} an
   * array.
   */
  public Optional<Dataset> values() {
    return Optional.ofNullable(values);
  }

  /**
   * The rows' values, for a segmenter that decides from them.
   *
   * @param segmenter the segmenter's name, for the error
   * @throws ConfigurationException if the matrix has none
   */
  public Dataset valuesFor(String segmenter) {
    if (values == null) {
      throw new ConfigurationException(segmenter + " decides from the rows' values, not from a "
          + "prepared feature matrix: fit it on FeatureMatrix.encode(dataset, fields), which "
          + "keeps them (a pipeline does)");
    }
    return values;
  }

  /** Whether {@code c} can be a feature: a numeric or integer field, or a categorical one. */
  public static boolean canEncode(Column c) {
    return c instanceof CategoricalColumn || c instanceof NumberColumn && c.field().isNumeric();
  }

  /**
   * Rows per chunk of the sums that standardize a field: a field's values are summed in row
   * order within each chunk, and the chunks' sums in chunk order, so that an engine holding the
   * rows in chunks elsewhere (Spark, in chunks of {@code ChunkedRows.CHUNK} rows, the same
   * number) sums them to the same bits.
   */
  static final int SUM_CHUNK = 8192;

  /**
   * A numeric column's mean and scale (one over its sample standard deviation, 0 when it is 0 or
   * has fewer than two values), summed by chunks of {@link #SUM_CHUNK} rows.
   */
  static double[] standardization(NumberColumn n) {
    int rows = n.size();
    int chunks = (rows + SUM_CHUNK - 1) / SUM_CHUNK;
    double[] sums = new double[chunks];
    long present = 0;
    for (int c = 0; c < chunks; c++) {
      double sum = 0;
      for (int r = c * SUM_CHUNK, to = Math.min(rows, r + SUM_CHUNK); r < to; r++) {
        if (!n.isNull(r)) {
          sum += n.asDouble(r);
          present++;
        }
      }
      sums[c] = sum;
    }
    double mean = present == 0 ? 0 : inOrder(sums) / present;
    for (int c = 0; c < chunks; c++) {
      double squares = 0;
      for (int r = c * SUM_CHUNK, to = Math.min(rows, r + SUM_CHUNK); r < to; r++) {
        if (!n.isNull(r)) {
          double d = n.asDouble(r) - mean;
          squares += d * d;
        }
      }
      sums[c] = squares;
    }
    double sd = present < 2 ? 0 : Math.sqrt(inOrder(sums) / (present - 1));
    return new double[] {mean, sd > 0 ? 1.0 / sd : 0.0};
  }

  /** The sum of {@code parts}, added in order. */
  private static double inOrder(double[] parts) {
    double total = 0;
    for (double p : parts) {
      total += p;
    }
    return total;
  }

  /**
   * How the matrix's features were made from its values ({@link FeatureEncoding#encode} places
   * other rows in the same space); empty for a matrix made {@link #of} an array.
   */
  public Optional<FeatureEncoding> encoding() {
    return Optional.ofNullable(encoding);
  }

  /** The backing row-major array; element (r, j) is at {@code r * cols() + j}. Do not modify. */
  public double[] data() {
    return data;
  }

  /** The number of rows. */
  public int rows() {
    return rows;
  }

  /** The number of features per row. */
  public int cols() {
    return cols;
  }

  /** The feature names: the field name, or {@code field=label} for a one-hot column. */
  public List<String> featureNames() {
    return featureNames;
  }

  @Override
  public String toString() {
    return "FeatureMatrix[" + rows + " x " + cols + "]";
  }
}
