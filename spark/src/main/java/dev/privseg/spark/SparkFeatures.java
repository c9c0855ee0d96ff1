package dev.privseg.spark;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.kmeans.Chunk;
import dev.privseg.core.segment.kmeans.ChunkedRows;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The segment stage's features on Spark, as {@code FeatureMatrix.encode} makes them locally:
 * numeric and integer fields standardized (mean and sample standard deviation of the present
 * values, summed in row order within chunks of {@link ChunkedRows#CHUNK} rows and over chunks in
 * order, as the local encoding sums them; a missing value is 0), categorical fields one-hot over
 * their dictionary, in the order of the fields used. The rows are numbered in the dataset's
 * order and held in chunks ({@link SparkRows}), ready for a fit.
 */
final class SparkFeatures {
  private SparkFeatures() {}

  /**
   * The features of {@code rows} (whose fields {@code schema} describes, in canonical types) for
   * the fields {@code used}, each categorical one over its dictionary in {@code dictionaries}.
   *
   * @throws ConfigurationException naming a field that cannot be a feature, or a categorical
   *     field without a dictionary
   */
  static Encoded encode(Dataset<Row> rows, Schema schema, List<String> used,
      Map<String, List<String>> dictionaries, int partitions) {
    return encode(rows, schema, used, List.of(), dictionaries, partitions);
  }

  /**
   * As {@link #encode(Dataset, Schema, List, Map, int)}, carrying the columns {@code carried}
   * after the used fields in {@link Encoded#values} (a pseudonym, for the assignments).
   */
  static Encoded encode(Dataset<Row> rows, Schema schema, List<String> used,
      List<String> carried, Map<String, List<String>> dictionaries, int partitions) {
    Encoding encoding = new Encoding(schema, used, dictionaries);
    List<org.apache.spark.sql.Column> columns = new ArrayList<>();
    used.forEach(f -> columns.add(org.apache.spark.sql.functions.col(f)));
    carried.forEach(f -> columns.add(org.apache.spark.sql.functions.col(f)));
    SparkRows.Grouped grouped = SparkRows.group(rows.select(
        columns.toArray(org.apache.spark.sql.Column[]::new)), partitions);
    JavaRDD<Tuple2<Integer, List<Row>>> chunks = grouped.chunks()
        .persist(StorageLevel.MEMORY_ONLY());
    boolean done = false;
    try {
      int numeric = encoding.numericCount();
      double[] means = new double[numeric];
      double[] scales = new double[numeric];
      if (numeric > 0) {
        List<Tuple2<Integer, double[]>> sums = SparkErrors.action(
            chunks.map(c -> new Tuple2<>(c._1(), encoding.sums(c._2(), null)))::collect);
        double[] present = new double[numeric];
        double[] totals = inChunkOrder(sums, numeric, present);
        for (int f = 0; f < numeric; f++) {
          means[f] = present[f] == 0 ? 0 : totals[f] / (long) present[f];
        }
        List<Tuple2<Integer, double[]>> squares = SparkErrors.action(
            chunks.map(c -> new Tuple2<>(c._1(), encoding.sums(c._2(), means)))::collect);
        double[] squareTotals = inChunkOrder(squares, numeric, null);
        for (int f = 0; f < numeric; f++) {
          long n = (long) present[f];
          double sd = n < 2 ? 0 : Math.sqrt(squareTotals[f] / (n - 1));
          scales[f] = sd > 0 ? 1.0 / sd : 0.0;
        }
      }
      JavaRDD<Chunk> features = chunks.map(c -> encoding.chunk(c._1(), c._2(), means, scales));
      Encoded encoded = new Encoded(SparkRows.of(rows.sparkSession(), features, grouped,
          encoding.cols), chunks);
      done = true;
      return encoded;
    } finally {
      if (!done) {
        chunks.unpersist(false);
      }
    }
  }

  /**
   * The encoded features, and the rows they were encoded from, in the same chunks (cached, for
   * the release stage's aggregates); {@link #close} drops both.
   *
   * @param features the feature rows, for the fit
   * @param values the rows' values (the used fields), chunk by chunk
   */
  record Encoded(SparkRows features, JavaRDD<Tuple2<Integer, List<Row>>> values)
      implements AutoCloseable {
    @Override
    public void close() {
      features.close();
      values.unpersist(false);
    }
  }

  /**
   * The per-field totals of every chunk's sums, added in chunk order; with {@code present},
   * also the present counts (the second half of each chunk's array).
   */
  private static double[] inChunkOrder(List<Tuple2<Integer, double[]>> parts, int fields,
      double[] present) {
    double[][] byChunk = new double[parts.size()][];
    for (Tuple2<Integer, double[]> p : parts) {
      byChunk[p._1()] = p._2();
    }
    double[] totals = new double[fields];
    for (double[] chunk : byChunk) {
      for (int f = 0; f < fields; f++) {
        totals[f] += chunk[f];
        if (present != null) {
          present[f] += chunk[fields + f];
        }
      }
    }
    return totals;
  }

  /** How each used field becomes feature columns; sent to the executors. */
  static final class Encoding implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Per used field: its index among the numeric fields, or -1 for a categorical one. */
    private final int[] numericIndex;
    /** Per used field: its first feature column. */
    private final int[] offset;
    /** The used fields' names, for errors. */
    private final String[] names;
    /** Per used field: its label's code (categorical fields), or null. */
    private final List<Map<String, Integer>> codes = new ArrayList<>();
    private final int numeric;
    final int cols;

    Encoding(Schema schema, List<String> used, Map<String, List<String>> dictionaries) {
      if (used.isEmpty()) {
        throw new ConfigurationException("segmentation needs at least one feature field");
      }
      names = used.toArray(String[]::new);
      numericIndex = new int[used.size()];
      offset = new int[used.size()];
      int columns = 0;
      int numbers = 0;
      for (int i = 0; i < used.size(); i++) {
        Field f = schema.field(used.get(i));
        offset[i] = columns;
        if (f.type() == FieldType.CATEGORICAL) {
          List<String> dictionary = dictionaries.get(f.name());
          if (dictionary == null) {
            throw new ConfigurationException("categorical field '" + f.name() + "' has no "
                + "dictionary to encode it with");
          }
          Map<String, Integer> code = new HashMap<>();
          for (String label : dictionary) {
            code.put(label, code.size());
          }
          codes.add(code);
          numericIndex[i] = -1;
          columns += dictionary.size();
        } else if (f.isNumeric()) {
          codes.add(null);
          numericIndex[i] = numbers++;
          columns++;
        } else {
          throw new ConfigurationException("field '" + f.name() + "' of type " + f.type()
              + " cannot be a segmentation feature; keep numeric or categorical fields, or "
              + "coarsen it to categories");
        }
      }
      this.numeric = numbers;
      this.cols = columns;
    }

    int numericCount() {
      return numeric;
    }

    /**
     * Per numeric field, the chunk's sum over present values in row order: of the values
     * themselves ({@code means} null), then the present counts; or of squared deviations from
     * {@code means}.
     */
    double[] sums(List<Row> rows, double[] means) {
      double[] out = new double[means == null ? 2 * numeric : numeric];
      for (int i = 0; i < numericIndex.length; i++) {
        int f = numericIndex[i];
        if (f < 0) {
          continue;
        }
        double sum = 0;
        long present = 0;
        for (Row row : rows) {
          if (!row.isNullAt(i)) {
            double v = ((Number) row.get(i)).doubleValue();
            if (means == null) {
              sum += v;
            } else {
              double d = v - means[f];
              sum += d * d;
            }
            present++;
          }
        }
        out[f] = sum;
        if (means == null) {
          out[numeric + f] = present;
        }
      }
      return out;
    }

    /** The chunk's feature rows. */
    Chunk chunk(int index, List<Row> rows, double[] means, double[] scales) {
      double[] values = new double[rows.size() * cols];
      for (int r = 0; r < rows.size(); r++) {
        Row row = rows.get(r);
        int base = r * cols;
        for (int i = 0; i < numericIndex.length; i++) {
          if (row.isNullAt(i)) {
            continue; // 0: a missing number is the mean, a missing category no category
          }
          int f = numericIndex[i];
          if (f >= 0) {
            values[base + offset[i]] = (((Number) row.get(i)).doubleValue() - means[f])
                * scales[f];
          } else {
            Integer code = codes.get(i).get(row.getString(i));
            if (code == null) {
              throw new ConfigurationException("a value of field '" + names[i]
                  + "' at row " + ((long) index * ChunkedRows.CHUNK + r)
                  + " is not in the field's dictionary");
            }
            values[base + offset[i] + code] = 1.0;
          }
        }
      }
      return new Chunk(index, cols, values);
    }
  }
}
