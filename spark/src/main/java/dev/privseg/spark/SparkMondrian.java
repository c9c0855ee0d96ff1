package dev.privseg.spark;

import static org.apache.spark.sql.functions.col;

import dev.privseg.anonymization.model.PrivacyModel;
import dev.privseg.anonymization.mondrian.Mondrian;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.anonymize.AnonymizationFailedException;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Mondrian on Spark, with the local run's partitions: the executors make the upper cuts (each
 * node's widest normalized quasi-identifier whose exact median leaves two sides that meet every
 * model, as {@link Mondrian} chooses, from extremes and exact order statistics of the node's
 * values, each side's sensitive values counted and checked by {@link Mondrian.Table#broken} where
 * they are reduced), until a node holds at most {@code fitsOneTask} rows; then each such node's
 * rows go to one task, which partitions them with {@link Mondrian.Table#partitionPart}. A
 * partition's mean is summed in input order in one task, as the local run sums it; the record's
 * figures are {@link Mondrian#released}'s. So the recoded values are the local run's to the last
 * bit, whatever the partitions. The models go to the tasks: each must be {@link Serializable} (the
 * built-in ones but k-map are).
 */
final class SparkMondrian {
  /** The sensitive codes of a row when the models read none. */
  private static final int[] NO_CODES = new int[0];
  /** A node of at most this many rows always fits one task. */
  private static final long FITS_ANY_TASK = 1_000;
  private final Mondrian mondrian;
  /** The most rows of a node partitioned in one task; 0 to derive it from the rows. */
  private final long fitsOneTask;
  /** With {@code fitsOneTask} 0, the partitions the rows are held in. */
  private final int partitions;

  /** Mondrian leaving nodes of at most {@code fitsOneTask} rows to one task each. */
  SparkMondrian(Mondrian mondrian, long fitsOneTask) {
    this(mondrian, fitsOneTask, 1);
  }

  private SparkMondrian(Mondrian mondrian, long fitsOneTask, int partitions) {
    check(mondrian);
    this.mondrian = mondrian;
    this.fitsOneTask = fitsOneTask;
    this.partitions = partitions;
  }

  /**
   * Refuses, before any row is read, a Mondrian whose models cannot be sent to the tasks that
   * check them.
   *
   * @throws ConfigurationException naming a model that does not serialize
   */
  static void check(Mondrian mondrian) {
    for (PrivacyModel m : mondrian.models()) {
      try (ObjectOutputStream out = new ObjectOutputStream(OutputStream.nullOutputStream())) {
        out.writeObject(m);
      } catch (IOException e) {
        throw new ConfigurationException("privacy model " + m.criterion() + " cannot be sent "
            + "to the Spark tasks that check Mondrian's partitions: it is not Serializable"
            + (m.population() != null ? " (k-map holds its population table; run it on the "
                + "local engine)" : "; implement java.io.Serializable to run it on Spark"));
      }
    }
  }

  /**
   * The anonymize stage with {@code mondrian}: {@code counted} (the minimized rows, with
   * {@link SparkInput#ORDER}) partitioned, and {@code rows} (the same rows, other columns
   * beside) released with their quasi-identifiers recoded, as the local stage releases them.
   * Nodes of up to a partition's share of the rows (and at least 1,000) are left to one task
   * each. The driver holds each sensitive field's distinct values and counts, and during each
   * level of the upper cuts a few numbers per node.
   *
   * @param qis the fields the anonymizer sees (the subject field left out), checked as locally
   * @param schema the fields of {@code rows}
   * @throws ConfigurationException naming a field as the local engine names it
   */
  static SparkAnonymize.Anonymized anonymize(Mondrian mondrian, Dataset<Row> counted,
      Dataset<Row> rows, Schema qis, Schema schema, int partitions) {
    try {
      // The local checks of the fields, in the local words; an empty table then breaks k.
      mondrian.partition(dev.privseg.core.dataset.Dataset.builder(qis).build());
    } catch (AnonymizationFailedException empty) {
      // the fields are fine
    }
    Partitioned p = new SparkMondrian(mondrian, 0, partitions).run(counted, qis);
    List<String> fields = mondrian.quasiIdentifiers();
    Dataset<Row> released = rows.drop(fields.toArray(String[]::new))
        .join(p.recoded(), SparkInput.ORDER);
    Schema.Builder b = Schema.builder();
    for (dev.privseg.core.schema.Field f : schema.fields()) {
      b.add(fields.contains(f.name()) ? new dev.privseg.core.schema.Field(f.name(),
          FieldType.NUMERIC, f.role(), f.required(), List.of()) : f);
    }
    return new SparkAnonymize.Anonymized(released, b.build(), Map.of(), (int) p.rows(), 0,
        p.record().summary(), p.record().guarantees(), p.record().covered(), rows, p::close,
        null);
  }

  /**
   * What a partitioning gives.
   *
   * @param recoded the rows' {@link SparkInput#ORDER} and recoded quasi-identifiers (doubles)
   * @param record the record's summary, guarantees and covered fields
   * @param partitions how many partitions were made
   * @param rows how many rows were partitioned
   * @param release drops the cached rows and the recoded values shared with the executors
   */
  record Partitioned(Dataset<Row> recoded, Mondrian.Released record, int partitions,
      long rows, Runnable release) implements AutoCloseable {
    @Override
    public void close() {
      release.run();
    }
  }

  /**
   * A row: its order, its quasi-identifiers' values, its sensitive values' codes and the node
   * of the cuts it is in.
   */
  static final class Item implements Serializable {
    private static final long serialVersionUID = 1L;
    final long order;
    final double[] values;
    final int[] codes;
    final int node;

    Item(long order, double[] values, int[] codes, int node) {
      this.order = order;
      this.values = values;
      this.codes = codes;
      this.node = node;
    }
  }

  /** A node of the upper cuts, on the driver. */
  private static final class Node {
    final long size;
    int dimension = -1;
    double cut;
    int lower = -1;
    int upper = -1;
    /** Finished by a task ({@link Mondrian.Table#partitionPart}); else a leaf or cut. */
    boolean part;

    Node(long size) {
      this.size = size;
    }
  }

  /**
   * Partitions {@code rows} (with {@link SparkInput#ORDER}, the quasi-identifiers and the
   * sensitive fields of {@code schema} the models read).
   *
   * @throws ConfigurationException naming a quasi-identifier with missing values
   * @throws AnonymizationFailedException if the table has fewer than k rows or breaks a model
   */
  Partitioned run(Dataset<Row> rows, Schema schema) {
    long started = System.nanoTime();
    List<String> qis = mondrian.quasiIdentifiers();
    int d = qis.size();
    int k = mondrian.k();
    // Every quasi-identifier's missing values, in one pass.
    org.apache.spark.sql.Column[] nulls = qis.stream().map(q -> org.apache.spark.sql.functions
        .count(org.apache.spark.sql.functions.when(col(q).isNull(), 1)))
        .toArray(org.apache.spark.sql.Column[]::new);
    Row missing = SparkErrors.action(rows.agg(nulls[0],
        Arrays.copyOfRange(nulls, 1, nulls.length))::first);
    for (int q = 0; q < d; q++) {
      if (missing.getLong(q) > 0) {
        throw new ConfigurationException("quasi-identifier '" + qis.get(q) + "' has "
            + missing.getLong(q) + " missing values; Mondrian needs complete values (impute "
            + "them, or drop those rows before the run)");
      }
    }
    // Each sensitive field's values in the order of their first row, as the local run codes
    // them; the executors code each row's value by them.
    List<String> sensitive = mondrian.sensitiveFields();
    List<Codebook> books = new ArrayList<>();
    for (String field : sensitive) {
      books.add(Codebook.counted(rows, schema.field(field)));
    }
    ArrayList<Map<Object, Integer>> codesOf = new ArrayList<>();
    int[] missingCode = new int[books.size()];
    for (int s = 0; s < books.size(); s++) {
      codesOf.add(books.get(s).codes());
      missingCode[s] = books.get(s).values.size();
    }
    JavaSparkContext context = new JavaSparkContext(rows.sparkSession().sparkContext());
    Broadcast<List<Map<Object, Integer>>> codings = context.broadcast(codesOf);
    // Shared with the executors until the recoded rows are released: their lineage reads them.
    List<Broadcast<?>> shared = new ArrayList<>(List.of(codings));
    boolean done = false;
    List<org.apache.spark.sql.Column> columns = new ArrayList<>();
    columns.add(col(SparkInput.ORDER));
    qis.forEach(q -> columns.add(col(q).cast(DataTypes.DoubleType)));
    sensitive.forEach(f -> columns.add(col(f)));
    JavaRDD<Item> items = rows.select(columns.toArray(org.apache.spark.sql.Column[]::new))
        .javaRDD().map(r -> {
          double[] v = new double[d];
          for (int q = 0; q < d; q++) {
            v[q] = r.getDouble(q + 1);
          }
          List<Map<Object, Integer>> coding = codings.value();
          int[] codes = coding.isEmpty() ? NO_CODES : new int[coding.size()];
          for (int s = 0; s < codes.length; s++) {
            Object value = r.get(d + 1 + s);
            codes[s] = value == null ? missingCode[s]
                : coding.get(s).get(SparkAnonymize.key(value));
          }
          return new Item(r.getLong(0), v, codes, 0);
        }).persist(StorageLevel.MEMORY_AND_DISK());
    List<JavaRDD<Item>> held = new ArrayList<>(List.of(items));
    Broadcast<Mondrian.Table> table = null;
    try {
      double[][] extremes = SparkErrors.action(() -> items.map(i -> extremes(i.values))
          .fold(null, SparkMondrian::wider));
      long n = SparkErrors.action(items::count);
      if (extremes == null || n < k) {
        throw new AnonymizationFailedException("Mondrian cannot meet " + k + "-anonymity: the "
            + "table has fewer than " + k + " rows");
      }
      double[] ranges = new double[d];
      for (int q = 0; q < d; q++) {
        ranges[q] = extremes[1][q] - extremes[0][q];
      }
      List<Mondrian.SensitiveCounts> counts = new ArrayList<>();
      for (int s = 0; s < books.size(); s++) {
        counts.add(books.get(s).sensitiveCounts(sensitive.get(s)));
      }
      Mondrian.Table whole = mondrian.table(ranges, counts);
      PrivacyModel broken = whole.broken(n, books.stream().map(b -> b.counts)
          .toArray(long[][]::new)).orElse(null);
      if (broken != null) {
        throw new AnonymizationFailedException("Mondrian cannot meet " + broken.criterion()
            + ": the whole table breaks it");
      }
      table = context.broadcast(whole);
      shared.add(table);
      int[] values = counts.stream().mapToInt(Mondrian.SensitiveCounts::values).toArray();
      List<Node> nodes = new ArrayList<>(List.of(new Node(n)));
      long fits = fitsOneTask > 0 ? fitsOneTask
          : Math.max(FITS_ANY_TASK, n / partitions);
      JavaRDD<Item> cut = upperCuts(items, nodes, ranges, k, fits, held, table, values);
      Partitioned p = finish(cut, nodes, ranges, n, rows.sparkSession(), started, table, books,
          shared);
      done = true;
      return p;
    } finally {
      held.forEach(r -> r.unpersist(false));
      if (!done) {
        shared.forEach(b -> b.destroy());
      }
    }
  }

  /** The smallest and largest value of each quasi-identifier of one row. */
  private static double[][] extremes(double[] v) {
    return new double[][] {v.clone(), v.clone()};
  }

  private static double[][] wider(double[][] a, double[][] b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    double[][] out = new double[2][a[0].length];
    for (int q = 0; q < a[0].length; q++) {
      out[0][q] = Math.min(a[0][q], b[0][q]);
      out[1][q] = Math.max(a[1][q], b[1][q]);
    }
    return out;
  }

  /**
   * Cuts the nodes of more than {@code fitsOneTask} rows, level by level, as {@link Mondrian}
   * would; marks the nodes left for a task as parts. Returns the items with their nodes.
   */
  private JavaRDD<Item> upperCuts(JavaRDD<Item> items, List<Node> nodes, double[] ranges, int k,
      long fits, List<JavaRDD<Item>> held, Broadcast<Mondrian.Table> table, int[] values) {
    int d = ranges.length;
    List<Integer> open = new ArrayList<>();
    place(nodes, 0, k, fits, open);
    JavaRDD<Item> current = items;
    while (!open.isEmpty()) {
      int[] index = new int[nodes.size()];
      Arrays.fill(index, -1);
      for (int i = 0; i < open.size(); i++) {
        index[open.get(i)] = i;
      }
      // Each open node's extremes, for the widths.
      Map<Integer, double[][]> wide = SparkErrors.action(current.filter(i -> index[i.node] >= 0)
          .mapToPair(i -> new Tuple2<>(i.node, extremes(i.values)))
          .reduceByKey(SparkMondrian::wider)::collectAsMap);
      // Each node's candidates, widest first (ties: the first quasi-identifier), as Mondrian
      // tries them; the median of each.
      int[][] candidates = new int[open.size()][];
      long[] sizes = new long[open.size() * d];
      long[][] positions = new long[open.size() * d][];
      for (int i = 0; i < open.size(); i++) {
        Node node = nodes.get(open.get(i));
        double[][] e = wide.get(open.get(i));
        double[] width = new double[d];
        for (int q = 0; q < d; q++) {
          width[q] = ranges[q] > 0 ? (e[1][q] - e[0][q]) / ranges[q] : 0;
        }
        candidates[i] = widestFirst(width);
        for (int q : candidates[i]) {
          sizes[i * d + q] = node.size;
          positions[i * d + q] = new long[] {(node.size - 1) / 2};
        }
      }
      int[][] asked = candidates;
      double[][] medians = OrderStatistics.select(current, (item, sink) -> {
        int i = index[item.node];
        if (i >= 0) {
          for (int q : asked[i]) {
            sink.accept(i * d + q, item.values[q]);
          }
        }
      }, sizes, positions, OrderStatistics.FETCH_BELOW);
      double[] median = new double[open.size() * d];
      for (int g = 0; g < median.length; g++) {
        median[g] = medians[g] == null ? Double.NaN : medians[g][0];
      }
      // Each candidate cut's two sides: their rows and whether they meet every model, judged
      // where each side's sensitive values are reduced.
      JavaRDD<Item> level = current;
      Map<Integer, long[]> sides = SparkErrors.action(level.mapPartitionsToPair(it -> {
        Side[] side = new Side[median.length * 2];
        while (it.hasNext()) {
          Item item = it.next();
          int i = index[item.node];
          if (i >= 0) {
            for (int q : asked[i]) {
              int g = (i * d + q) * 2 + (item.values[q] <= median[i * d + q] ? 0 : 1);
              if (side[g] == null) {
                side[g] = new Side(values);
              }
              side[g].add(item.codes);
            }
          }
        }
        List<Tuple2<Integer, Side>> out = new ArrayList<>();
        for (int g = 0; g < side.length; g++) {
          if (side[g] != null) {
            out.add(new Tuple2<>(g, side[g]));
          }
        }
        return out.iterator();
      }).reduceByKey(Side::merge).mapValues(side -> new long[] {side.size,
          table.value().broken(side.size, side.counts()).isPresent() ? 0 : 1})::collectAsMap);
      // The first candidate whose sides both meet every model, as Mondrian cuts.
      int[] dimension = new int[nodes.size()];
      double[] at = new double[nodes.size()];
      int[] lowerNode = new int[nodes.size()];
      int[] upperNode = new int[nodes.size()];
      Arrays.fill(dimension, -1);
      List<Integer> next = new ArrayList<>();
      for (int i = 0; i < open.size(); i++) {
        int id = open.get(i);
        Node node = nodes.get(id);
        for (int q : candidates[i]) {
          long[] lower = sides.get((i * d + q) * 2);
          long[] upper = sides.get((i * d + q) * 2 + 1);
          long left = lower == null ? 0 : lower[0];
          // k rows on each side, and each side meeting every model.
          if (left >= k && node.size - left >= k && lower[1] == 1 && upper[1] == 1) {
            node.dimension = q;
            node.cut = median[i * d + q];
            node.lower = nodes.size();
            nodes.add(new Node(left));
            node.upper = nodes.size();
            nodes.add(new Node(node.size - left));
            dimension[id] = q;
            at[id] = node.cut;
            lowerNode[id] = node.lower;
            upperNode[id] = node.upper;
            place(nodes, node.lower, k, fits, next);
            place(nodes, node.upper, k, fits, next);
            break;
          }
        }
      }
      JavaRDD<Item> from = current;
      // Every row's node existed when the arrays were sized: children come after.
      current = from.map(item -> dimension[item.node] >= 0
          ? new Item(item.order, item.values, item.codes, item.values[dimension[item.node]]
              <= at[item.node] ? lowerNode[item.node] : upperNode[item.node])
          : item).persist(StorageLevel.MEMORY_AND_DISK());
      held.add(current);
      // Only the latest level stays cached: each level holds every row.
      SparkErrors.action(current::count);
      from.unpersist(false);
      open = next;
    }
    return current;
  }

  /**
   * Files node {@code id}: open, to cut on the executors, if it holds more than {@code fits}
   * and could be cut (2k rows or more); else a part for a task if it could be cut; else a leaf.
   */
  private static void place(List<Node> nodes, int id, int k, long fits, List<Integer> open) {
    Node node = nodes.get(id);
    if (node.size < 2L * k) {
      return;
    }
    if (node.size > fits) {
      open.add(id);
    } else {
      node.part = true;
    }
  }

  /** The quasi-identifiers of positive width, widest first; ties in their order. */
  private static int[] widestFirst(double[] width) {
    int d = width.length;
    boolean[] taken = new boolean[d];
    List<Integer> out = new ArrayList<>();
    while (true) {
      int best = -1;
      for (int q = 0; q < d; q++) {
        if (!taken[q] && width[q] > 0 && (best < 0 || width[q] > width[best])) {
          best = q;
        }
      }
      if (best < 0) {
        return out.stream().mapToInt(Integer::intValue).toArray();
      }
      taken[best] = true;
      out.add(best);
    }
  }

  /**
   * A class's rows and, for each sensitive field, its rows holding each value: dense for fields
   * of few values, else only the values held.
   */
  static final class Side implements Serializable {
    private static final long serialVersionUID = 1L;
    /** A field of at most this many values is counted in an array. */
    private static final int DENSE = 256;
    private final int[] values;
    long size;
    private final long[][] dense;
    private final List<HashMap<Integer, Long>> sparse = new ArrayList<>();

    Side(int[] values) {
      this.values = values;
      this.dense = new long[values.length][];
      for (int s = 0; s < values.length; s++) {
        dense[s] = values[s] <= DENSE ? new long[values[s]] : null;
        sparse.add(values[s] <= DENSE ? null : new HashMap<>());
      }
    }

    void add(int[] codes) {
      size++;
      for (int s = 0; s < codes.length; s++) {
        if (dense[s] != null) {
          dense[s][codes[s]]++;
        } else {
          sparse.get(s).merge(codes[s], 1L, Long::sum);
        }
      }
    }

    Side merge(Side other) {
      size += other.size;
      for (int s = 0; s < values.length; s++) {
        if (dense[s] != null) {
          for (int v = 0; v < values[s]; v++) {
            dense[s][v] += other.dense[s][v];
          }
        } else {
          HashMap<Integer, Long> into = sparse.get(s);
          other.sparse.get(s).forEach((v, c) -> into.merge(v, c, Long::sum));
        }
      }
      return this;
    }

    /** Each sensitive field's rows by value, as {@link Mondrian.Table#broken} reads them. */
    long[][] counts() {
      long[][] out = new long[values.length][];
      for (int s = 0; s < values.length; s++) {
        if (dense[s] != null) {
          out[s] = dense[s];
        } else {
          out[s] = new long[values[s]];
          long[] into = out[s];
          sparse.get(s).forEach((v, c) -> into[v] = c);
        }
      }
      return out;
    }
  }

  /** A row placed in its partition: its order, values, node and partition within the node. */
  static final class Placed implements Serializable {
    private static final long serialVersionUID = 1L;
    final long order;
    final double[] values;
    final int node;
    final int within;

    Placed(long order, double[] values, int node, int within) {
      this.order = order;
      this.values = values;
      this.node = node;
      this.within = within;
    }
  }

  /**
   * A partition's size, each quasi-identifier's sum (in input order) and extremes, and the sizes
   * of the classes of its rows' original values.
   */
  static final class Stats implements Serializable {
    private static final long serialVersionUID = 1L;
    final int node;
    final int within;
    long size;
    final double[] sum;
    final double[] min;
    final double[] max;
    /** While rows are added, each class's rows; then null. */
    private transient Map<Key, Integer> counting = new HashMap<>();
    int[] classes;

    Stats(int node, int within, int d) {
      this.node = node;
      this.within = within;
      this.sum = new double[d];
      this.min = new double[d];
      this.max = new double[d];
      Arrays.fill(min, Double.POSITIVE_INFINITY);
      Arrays.fill(max, Double.NEGATIVE_INFINITY);
    }

    void add(double[] v) {
      size++;
      for (int q = 0; q < v.length; q++) {
        sum[q] += v[q];
        min[q] = Math.min(min[q], v[q]);
        max[q] = Math.max(max[q], v[q]);
      }
      counting.merge(new Key(v), 1, Integer::sum);
    }

    /** Ends the counting of the classes. */
    void closeClasses() {
      classes = counting.values().stream().mapToInt(Integer::intValue).toArray();
      counting = null;
    }
  }

  /**
   * Partitions the parts in tasks, numbers the partitions in the local run's order, recodes each
   * with its rows summed in input order, and makes the record.
   */
  private Partitioned finish(JavaRDD<Item> items, List<Node> nodes, double[] ranges, long n,
      org.apache.spark.sql.SparkSession spark, long started, Broadcast<Mondrian.Table> table,
      List<Codebook> books, List<Broadcast<?>> shared) {
    int d = ranges.length;
    boolean[] part = new boolean[nodes.size()];
    for (int id = 0; id < nodes.size(); id++) {
      part[id] = nodes.get(id).part;
    }
    // What a task needs to build a part: the fields, and each sensitive value by its code.
    List<String> qiNames = mondrian.quasiIdentifiers();
    List<String> sensitive = mondrian.sensitiveFields();
    boolean[] numeric = new boolean[books.size()];
    ArrayList<List<String>> texts = new ArrayList<>();
    ArrayList<double[]> numbers = new ArrayList<>();
    for (int s = 0; s < numeric.length; s++) {
      numeric[s] = books.get(s).numeric;
      texts.add(new ArrayList<>(books.get(s).texts));
      numbers.add(numeric[s] ? books.get(s).numbers : null);
    }
    int tasks = Math.max(1, items.getNumPartitions());
    // Each row's partition within its node: a part's rows partitioned in one task, in input
    // order; a leaf of the upper cuts is one partition.
    JavaRDD<Placed> placed = items.mapToPair(i -> new Tuple2<>(new Tuple2<>(i.node, i.order), i))
        .repartitionAndSortWithinPartitions(new ByFirst(tasks), new FirstThenOrder())
        .mapPartitions(it -> new Parts(it, part, table.value(),
            partSchema(qiNames, sensitive, numeric), texts, numbers))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      // One pass over the placed rows, a node's in input order: each partition's size, sums and
      // extremes, and the classes of its rows' original values (rows equal on every
      // quasi-identifier take the same side of every cut, so a class lies in one partition).
      List<Stats> found = SparkErrors.action(placed.mapPartitions(it -> {
        List<Stats> out = new ArrayList<>();
        Map<Integer, Stats> node = new HashMap<>();
        int current = -1;
        while (it.hasNext()) {
          Placed p = it.next();
          if (p.node != current) {
            out.addAll(closed(node));
            current = p.node;
          }
          node.computeIfAbsent(p.within, w -> new Stats(p.node, w, d)).add(p.values);
        }
        out.addAll(closed(node));
        return out.iterator();
      })::collect);
      // How many partitions each node holds; then each node's first partition's number in the
      // local run's order: the nodes depth first, the lower side first.
      Map<Integer, Integer> within = new HashMap<>();
      for (Stats st : found) {
        within.merge(st.node, st.within + 1, Math::max);
      }
      int[] first = new int[nodes.size()];
      int partitions = 0;
      ArrayDeque<Integer> stack = new ArrayDeque<>(List.of(0));
      while (!stack.isEmpty()) {
        int id = stack.pop();
        Node node = nodes.get(id);
        if (node.dimension >= 0) {
          stack.push(node.upper);
          stack.push(node.lower);
        } else {
          first[id] = partitions;
          partitions += within.getOrDefault(id, 0);
        }
      }
      Stats[] stats = new Stats[partitions];
      int classCount = 0;
      for (Stats st : found) {
        stats[first[st.node] + st.within] = st;
        classCount += st.classes.length;
      }
      int[] before = new int[classCount];
      int at = 0;
      for (Stats st : stats) {
        System.arraycopy(st.classes, 0, before, at, st.classes.length);
        at += st.classes.length;
      }
      double[][] recoded = new double[partitions][d];
      double penalty = 0;
      Map<Key, Integer> classes = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        Stats s = stats[p];
        for (int q = 0; q < d; q++) {
          recoded[p][q] = mondrian.recoding() == Mondrian.Recoding.MEAN ? s.sum[q] / s.size
              : (s.min[q] + s.max[q]) / 2;
          if (ranges[q] > 0) {
            penalty += (s.max[q] - s.min[q]) / ranges[q] * s.size;
          }
        }
        classes.merge(new Key(recoded[p]), (int) s.size, Integer::sum);
      }
      int[] after = classes.values().stream().mapToInt(Integer::intValue).toArray();
      Mondrian.Released record = mondrian.released(partitions, penalty, before, after, n,
          started);
      Broadcast<double[][]> recodedValues = new JavaSparkContext(spark.sparkContext())
          .broadcast(recoded);
      shared.add(recodedValues);
      JavaRDD<Row> out = placed.map(p -> {
        Object[] row = new Object[d + 1];
        row[0] = p.order;
        double[] v = recodedValues.value()[first[p.node] + p.within];
        for (int q = 0; q < d; q++) {
          row[q + 1] = v[q];
        }
        return RowFactory.create(row);
      });
      StructType struct = new StructType().add(SparkInput.ORDER, DataTypes.LongType, false);
      for (String q : mondrian.quasiIdentifiers()) {
        struct = struct.add(q, DataTypes.DoubleType, false);
      }
      Dataset<Row> rows = spark.createDataFrame(out, struct)
          .persist(StorageLevel.MEMORY_AND_DISK());
      SparkErrors.action(rows::count);
      return new Partitioned(rows, record, partitions, n, () -> {
        rows.unpersist(false);
        shared.forEach(b -> b.destroy());
      });
    } finally {
      placed.unpersist(false);
    }
  }

  /** The statistics of one node's partitions, their classes counted; empties {@code node}. */
  private static List<Stats> closed(Map<Integer, Stats> node) {
    List<Stats> out = new ArrayList<>(node.values());
    out.forEach(Stats::closeClasses);
    node.clear();
    return out;
  }

  /**
   * Quasi-identifier values as a class's key: equal when equal bit for bit, {@code -0.0} taken
   * as {@code 0.0}, as the local classes compare them.
   */
  static final class Key implements Serializable {
    private static final long serialVersionUID = 1L;
    private final long[] bits;
    private final int hash;

    Key(double[] values) {
      bits = new long[values.length];
      for (int q = 0; q < values.length; q++) {
        bits[q] = Double.doubleToLongBits(values[q] + 0.0);
      }
      hash = Arrays.hashCode(bits);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(bits, k.bits);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** Partitions keys by their first part. */
  static final class ByFirst extends org.apache.spark.Partitioner {
    private static final long serialVersionUID = 1L;
    private final int partitions;

    ByFirst(int partitions) {
      this.partitions = partitions;
    }

    @Override
    public int numPartitions() {
      return partitions;
    }

    @Override
    @SuppressWarnings("unchecked")
    public int getPartition(Object key) {
      return Math.floorMod(((Tuple2<Integer, Long>) key)._1() * 0x9E3779B9, partitions);
    }
  }

  /** Orders keys by their first part, then by input order. */
  static final class FirstThenOrder
      implements java.util.Comparator<Tuple2<Integer, Long>>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Tuple2<Integer, Long> a, Tuple2<Integer, Long> b) {
      int c = Integer.compare(a._1(), b._1());
      return c != 0 ? c : Long.compare(a._2(), b._2());
    }
  }

  /**
   * A task's rows, by node then input order, placed in their partitions: a part's rows
   * partitioned with {@link Mondrian.Table#partitionPart}, a leaf's all in its one partition.
   */
  static final class Parts implements Iterator<Placed> {
    private final Iterator<Tuple2<Tuple2<Integer, Long>, Item>> rows;
    private final boolean[] part;
    private final Mondrian.Table table;
    private final Schema schema;
    private final List<List<String>> texts;
    private final List<double[]> numbers;
    private Tuple2<Tuple2<Integer, Long>, Item> ahead;
    private Iterator<Placed> node = java.util.Collections.emptyIterator();

    /**
     * The placed rows of {@code rows}; a part is built with {@code schema} (the
     * quasi-identifiers, then the sensitive fields), each sensitive value from its code: the
     * text at the code, or the number where the field is numeric.
     */
    Parts(Iterator<Tuple2<Tuple2<Integer, Long>, Item>> rows, boolean[] part,
        Mondrian.Table table, Schema schema, List<List<String>> texts, List<double[]> numbers) {
      this.rows = rows;
      this.part = part;
      this.table = table;
      this.schema = schema;
      this.texts = texts;
      this.numbers = numbers;
      this.ahead = rows.hasNext() ? rows.next() : null;
    }

    @Override
    public boolean hasNext() {
      while (!node.hasNext() && ahead != null) {
        node = nextNode();
      }
      return node.hasNext();
    }

    @Override
    public Placed next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      return node.next();
    }

    /** The next node's rows, placed. */
    private Iterator<Placed> nextNode() {
      int id = ahead._1()._1();
      List<Item> items = new ArrayList<>();
      while (ahead != null && ahead._1()._1() == id) {
        items.add(ahead._2());
        ahead = rows.hasNext() ? rows.next() : null;
      }
      int[] within = new int[items.size()];
      if (part[id]) {
        DatasetBuilder b = dev.privseg.core.dataset.Dataset.builder(schema);
        for (Item item : items) {
          int d = item.values.length;
          for (int q = 0; q < d; q++) {
            b.setNumber(q, item.values[q]);
          }
          for (int s = 0; s < item.codes.length; s++) {
            int code = item.codes[s];
            if (code == texts.get(s).size()) {
              b.setNull(d + s);
            } else if (numbers.get(s) != null) {
              b.setNumber(d + s, numbers.get(s)[code]);
            } else {
              b.setText(d + s, texts.get(s).get(code));
            }
          }
          b.endRow();
        }
        within = table.partitionPart(b.build());
      }
      List<Placed> out = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        Item item = items.get(i);
        out.add(new Placed(item.order, item.values, id, within[i]));
      }
      return out.iterator();
    }
  }

  /**
   * The fields of a part: the quasi-identifiers, then the sensitive fields (numbers where
   * {@code numeric}, else text).
   */
  private static Schema partSchema(List<String> qis, List<String> sensitive,
      boolean[] numeric) {
    Schema.Builder b = Schema.builder();
    qis.forEach(q -> b.field(q, FieldType.NUMERIC, PrivacyRole.QUASI_IDENTIFIER));
    for (int s = 0; s < sensitive.size(); s++) {
      b.field(sensitive.get(s), numeric[s] ? FieldType.NUMERIC : FieldType.TEXT,
          PrivacyRole.SENSITIVE);
    }
    return b.build();
  }
}
