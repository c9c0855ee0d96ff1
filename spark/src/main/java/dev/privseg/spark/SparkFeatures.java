package dev.privseg.spark;

import dev.privseg.anonymization.dp.DpKMeans;
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
   * the fields {@code used}, each categorical one over its dictionary in {@code dictionaries}; the
   * rows in the order of their {@link SparkInput#ORDER} if they carry it, else as the dataset
   * holds them.
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
    Encoding encoding = new Encoding(schema, used, carried, dictionaries);
    List<org.apache.spark.sql.Column> columns = new ArrayList<>();
    used.forEach(f -> columns.add(org.apache.spark.sql.functions.col(f)));
    carried.forEach(f -> columns.add(org.apache.spark.sql.functions.col(f)));
    // In the input's order: by the order the rows carry (a join left them in no order), else
    // as the dataset holds them.
    boolean ordered = java.util.Arrays.asList(rows.columns()).contains(SparkInput.ORDER);
    if (ordered) {
      columns.add(org.apache.spark.sql.functions.col(SparkInput.ORDER));
    }
    Dataset<Row> selected = rows.select(columns.toArray(org.apache.spark.sql.Column[]::new));
    SparkRows.Grouped grouped = ordered
        ? SparkRows.group(selected, SparkInput.ORDER, partitions)
        : SparkRows.group(selected, partitions);
    // Held in memory, spilled to disk where the executors' memory does not hold them all
    // (recomputing them would repeat the shuffle).
    JavaRDD<ValueChunk> chunks = grouped.chunks().map(c -> encoding.pack(c._1(), c._2()))
        .persist(StorageLevel.MEMORY_AND_DISK());
    boolean done = false;
    try {
      int numeric = encoding.numericCount();
      double[] means = new double[numeric];
      double[] scales = new double[numeric];
      if (numeric > 0) {
        List<Tuple2<Integer, double[]>> sums = SparkErrors.action(
            chunks.map(c -> new Tuple2<>(c.index, encoding.sums(c, null)))::collect);
        double[] present = new double[numeric];
        double[] totals = inChunkOrder(sums, numeric, present);
        for (int f = 0; f < numeric; f++) {
          means[f] = present[f] == 0 ? 0 : totals[f] / (long) present[f];
        }
        List<Tuple2<Integer, double[]>> squares = SparkErrors.action(
            chunks.map(c -> new Tuple2<>(c.index, encoding.sums(c, means)))::collect);
        double[] squareTotals = inChunkOrder(squares, numeric, null);
        for (int f = 0; f < numeric; f++) {
          long n = (long) present[f];
          double sd = n < 2 ? 0 : Math.sqrt(squareTotals[f] / (n - 1));
          scales[f] = sd > 0 ? 1.0 / sd : 0.0;
        }
      }
      JavaRDD<Chunk> features = chunks.map(c -> encoding.chunk(c, means, scales));
      Encoded encoded = new Encoded(SparkRows.of(rows.sparkSession(), features, grouped,
          encoding.cols), chunks, encoding, means, scales);
      done = true;
      return encoded;
    } finally {
      grouped.release().run();
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
   * @param values the rows' values (the used fields, then the carried ones), chunk by chunk
   * @param encoding how the values were held and encoded
   * @param means the numeric fields' means, as standardized
   * @param scales the numeric fields' scales (one over the standard deviation, or 0)
   */
  record Encoded(SparkRows features, JavaRDD<ValueChunk> values, Encoding encoding,
      double[] means, double[] scales) implements AutoCloseable {

    /**
     * The rows as {@link dev.privseg.core.segment.kprototypes.KPrototypes} fits them, in chunks
     * of their own, cached (close them apart): the numeric fields standardized as for every
     * segmenter, then one column per categorical field holding its category's code (-1 where
     * missing), each in the used fields' order.
     */
    SparkRows mixed() {
      Encoding e = encoding;
      double[] m = means;
      double[] s = scales;
      return features.withChunks(values.map(c -> e.mixed(c, m, s)), e.mixedCols());
    }

    /** Per categorical used field, in order, its number of categories. */
    int[] cardinality() {
      return encoding.cardinality();
    }

    /**
     * The rows' features as {@link DpKMeans} makes them, by {@code scaling} (made for the used
     * fields of {@code schema}, in order, each categorical one over its declared categories),
     * in chunks of their own, cached; close them apart.
     */
    SparkRows declared(DpKMeans.Scaling scaling, Schema schema,
        Map<String, List<String>> dictionaries) {
      Declared declared = new Declared(encoding, schema, dictionaries, scaling);
      return features.withChunks(values.map(declared::chunk), scaling.features());
    }

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

  /**
   * The features DP k-means fits on, made from the held values by its {@link DpKMeans.Scaling}:
   * a numeric field scaled from its declared bounds (0 if missing), a categorical one one-hot over
   * its declared categories in their declared order (none if missing); sent to the executors.
   */
  static final class Declared implements Serializable {
    private static final long serialVersionUID = 1L;
    private final DpKMeans.Scaling scaling;
    /** Per used field: its index among the numeric fields, or -1 for a categorical one. */
    private final int[] numericIndex;
    /** Per used field: its first feature column. */
    private final int[] offset;
    /** Per used categorical field: each dictionary code's place among the declared categories. */
    private final int[][] declared;

    Declared(Encoding encoding, Schema schema, Map<String, List<String>> dictionaries,
        DpKMeans.Scaling scaling) {
      this.scaling = scaling;
      int used = encoding.numericIndex.length;
      numericIndex = encoding.numericIndex.clone();
      offset = new int[used];
      declared = new int[used][];
      int columns = 0;
      for (int i = 0; i < used; i++) {
        offset[i] = columns;
        if (numericIndex[i] >= 0) {
          columns++;
          continue;
        }
        Field f = schema.field(encoding.names[i]);
        List<String> categories = f.categories();
        List<String> dictionary = dictionaries.get(f.name());
        declared[i] = new int[dictionary.size()];
        for (int code = 0; code < dictionary.size(); code++) {
          declared[i][code] = categories.indexOf(dictionary.get(code));
          if (declared[i][code] < 0) {
            throw new IllegalStateException("field '" + f.name() + "' holds a label outside "
                + "its declared categories");
          }
        }
        columns += categories.size();
      }
      if (columns != scaling.features()) {
        throw new IllegalStateException("the scaling makes " + scaling.features()
            + " features of the used fields, the layout " + columns);
      }
    }

    /** The chunk's features. */
    Chunk chunk(ValueChunk rows) {
      int cols = scaling.features();
      double[] values = new double[rows.rows * cols];
      for (int r = 0; r < rows.rows; r++) {
        int base = r * cols;
        for (int i = 0; i < numericIndex.length; i++) {
          if (rows.isNull(i, r)) {
            continue;
          }
          if (numericIndex[i] >= 0) {
            values[base + offset[i]] = scaling.scale(numericIndex[i], rows.number(i, r));
          } else {
            values[base + offset[i] + declared[i][rows.code(i, r)]] = 1.0;
          }
        }
      }
      return new Chunk(rows.index, cols, values);
    }
  }

  /**
   * How each used field becomes feature columns, and how a chunk's rows are held
   * ({@link ValueChunk}); sent to the executors.
   */
  static final class Encoding implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Per used field: its index among the numeric fields, or -1 for a categorical one. */
    private final int[] numericIndex;
    /** Per used field: its first feature column. */
    private final int[] offset;
    /** The used then carried fields' names, for errors. */
    private final String[] names;
    /** Per used then carried field: how its values are held. */
    private final ValueChunk.Kind[] kinds;
    /** Per used field: its label's code (categorical fields), or null. */
    private final List<Map<String, Integer>> codes = new ArrayList<>();
    private final int numeric;
    final int cols;

    Encoding(Schema schema, List<String> used, List<String> carried,
        Map<String, List<String>> dictionaries) {
      if (used.isEmpty()) {
        throw new ConfigurationException("segmentation needs at least one feature field");
      }
      names = new String[used.size() + carried.size()];
      kinds = new ValueChunk.Kind[names.length];
      numericIndex = new int[used.size()];
      offset = new int[used.size()];
      int columns = 0;
      int numbers = 0;
      for (int i = 0; i < used.size(); i++) {
        Field f = schema.field(used.get(i));
        names[i] = f.name();
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
          kinds[i] = ValueChunk.Kind.CODE;
          columns += dictionary.size();
        } else if (f.isNumeric()) {
          codes.add(null);
          numericIndex[i] = numbers++;
          kinds[i] = f.type() == FieldType.INTEGER ? ValueChunk.Kind.LONG
              : ValueChunk.Kind.DOUBLE;
          columns++;
        } else {
          throw new ConfigurationException("field '" + f.name() + "' of type " + f.type()
              + " cannot be a segmentation feature; keep numeric or categorical fields, or "
              + "coarsen it to categories");
        }
      }
      for (int i = 0; i < carried.size(); i++) {
        names[used.size() + i] = carried.get(i);
        kinds[used.size() + i] = ValueChunk.Kind.TEXT;
      }
      this.numeric = numbers;
      this.cols = columns;
    }

    int numericCount() {
      return numeric;
    }

    /**
     * Chunk {@code index}'s rows (the used then carried fields) held by column.
     *
     * @throws ConfigurationException naming the field and row (never the value) of a category
     *     outside the field's dictionary, or of missing carried text
     */
    ValueChunk pack(int index, List<Row> rows) {
      int n = rows.size();
      Object[] columns = new Object[kinds.length];
      java.util.BitSet[] missing = new java.util.BitSet[kinds.length];
      for (int c = 0; c < kinds.length; c++) {
        switch (kinds[c]) {
          case DOUBLE, LONG -> {
            boolean isLong = kinds[c] == ValueChunk.Kind.LONG;
            double[] doubles = isLong ? null : new double[n];
            long[] longs = isLong ? new long[n] : null;
            missing[c] = new java.util.BitSet(n);
            for (int r = 0; r < n; r++) {
              Row row = rows.get(r);
              if (row.isNullAt(c)) {
                missing[c].set(r);
              } else if (isLong) {
                longs[r] = ((Number) row.get(c)).longValue();
              } else {
                doubles[r] = ((Number) row.get(c)).doubleValue();
              }
            }
            columns[c] = isLong ? longs : doubles;
          }
          case CODE -> {
            int[] out = new int[n];
            Map<String, Integer> code = codes.get(c);
            for (int r = 0; r < n; r++) {
              Row row = rows.get(r);
              if (row.isNullAt(c)) {
                out[r] = -1;
                continue;
              }
              Integer at = code.get(row.getString(c));
              if (at == null) {
                throw new ConfigurationException("a value of field '" + names[c]
                    + "' at row " + ((long) index * ChunkedRows.CHUNK + r)
                    + " is not in the field's dictionary");
              }
              out[r] = at;
            }
            columns[c] = out;
          }
          case TEXT -> {
            String[] text = new String[n];
            for (int r = 0; r < n; r++) {
              if (rows.get(r).isNullAt(c)) {
                throw new ConfigurationException("field '" + names[c] + "' has no value at row "
                    + ((long) index * ChunkedRows.CHUNK + r));
              }
              text[r] = rows.get(r).getString(c);
            }
            columns[c] = new ValueChunk.Text(text);
          }
          default -> throw new IllegalStateException(kinds[c].name());
        }
      }
      return new ValueChunk(index, n, columns, missing);
    }

    /**
     * Per numeric field, the chunk's sum over present values in row order: of the values
     * themselves ({@code means} null), then the present counts; or of squared deviations from
     * {@code means}.
     */
    double[] sums(ValueChunk rows, double[] means) {
      double[] out = new double[means == null ? 2 * numeric : numeric];
      for (int i = 0; i < numericIndex.length; i++) {
        int f = numericIndex[i];
        if (f < 0) {
          continue;
        }
        double sum = 0;
        long present = 0;
        for (int r = 0; r < rows.rows; r++) {
          if (!rows.isNull(i, r)) {
            double v = rows.number(i, r);
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

    /** Columns of {@link #mixed}: one per used field. */
    int mixedCols() {
      return numericIndex.length;
    }

    /** Per categorical used field, in order, its number of categories. */
    int[] cardinality() {
      int[] out = new int[numericIndex.length - numeric];
      int j = 0;
      for (int i = 0; i < numericIndex.length; i++) {
        if (numericIndex[i] < 0) {
          out[j++] = codes.get(i).size();
        }
      }
      return out;
    }

    /**
     * The chunk's rows as k-prototypes fits them: the numeric fields standardized (0 where
     * missing), then each categorical field's code (-1 where missing).
     */
    Chunk mixed(ValueChunk rows, double[] means, double[] scales) {
      int cols = numericIndex.length;
      double[] values = new double[rows.rows * cols];
      for (int r = 0; r < rows.rows; r++) {
        int base = r * cols;
        int categorical = numeric;
        for (int i = 0; i < numericIndex.length; i++) {
          int f = numericIndex[i];
          if (f >= 0) {
            values[base + f] = rows.isNull(i, r) ? 0
                : (rows.number(i, r) - means[f]) * scales[f];
          } else {
            values[base + categorical++] = rows.isNull(i, r) ? -1 : rows.code(i, r);
          }
        }
      }
      return new Chunk(rows.index, cols, values);
    }

    /** The chunk's feature rows. */
    Chunk chunk(ValueChunk rows, double[] means, double[] scales) {
      double[] values = new double[rows.rows * cols];
      for (int r = 0; r < rows.rows; r++) {
        int base = r * cols;
        for (int i = 0; i < numericIndex.length; i++) {
          if (rows.isNull(i, r)) {
            continue; // 0: a missing number is the mean, a missing category no category
          }
          int f = numericIndex[i];
          if (f >= 0) {
            values[base + offset[i]] = (rows.number(i, r) - means[f]) * scales[f];
          } else {
            values[base + offset[i] + rows.code(i, r)] = 1.0;
          }
        }
      }
      return new Chunk(rows.index, cols, values);
    }
  }
}
