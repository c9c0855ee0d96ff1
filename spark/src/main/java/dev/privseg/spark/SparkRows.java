package dev.privseg.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.shiftrightunsigned;

import dev.privseg.core.segment.kmeans.Chunk;
import dev.privseg.core.segment.kmeans.ChunkStep;
import dev.privseg.core.segment.kmeans.ChunkedRows;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * A Spark dataset's feature rows held on the executors as {@link ChunkedRows}, for a k-means fit
 * that is the local one to the last bit:
 *
 * <pre>{@code
 * try (SparkRows rows = SparkRows.of(features, 64)) {
 *   ChunkedFit fit = KMeans.clusters(8).seed(42).fit(rows, SegmentContext.of(Runnable::run, 1));
 *   Dataset<Row> segments = rows.segments(); // (row, segment)
 * }
 * }</pre>
 *
 * <p>Rows are numbered in the dataset's order and cut into chunks of {@link ChunkedRows#CHUNK}
 * consecutive rows, each chunk whole in one partition, consecutive chunks together, cached (one
 * shuffle of the rows; in memory, spilled to the executors' disks where memory does not hold
 * them). The features are cached once; a step runs on a copy of every chunk's state (a cached
 * partition is never changed), and only the state it leaves (each row's segment and seeding
 * weight) is cached in turn: the previous state is dropped once the new one is computed, and
 * the lineage is cut now and then.
 * Results come back to the driver and are put in chunk order there, so the fit adds them in the
 * local order, whatever the number of partitions or executors. Not thread-safe: one fit at a time.
 */
public final class SparkRows implements ChunkedRows, AutoCloseable {
  /**
   * Rows a partition holds at most, whatever number of partitions was asked for: a cached
   * partition is one block, and a block larger than an executor's memory store is never held in
   * memory (128 chunks; about 150 MB of features at 19 columns).
   */
  static final int MAX_PARTITION_ROWS = 128 * CHUNK;

  /** Bits of an order value below its range in {@link #group(Dataset, String, int)}'s count. */
  static final int BUCKET_BITS = 13;

  /** Steps after which the lineage is cut, so that task closures stay small. */
  private static final int CUT_EVERY = 16;

  private final SparkSession spark;
  private final int rows;
  private final int cols;
  private final int chunks;
  private final ChunkPartitioner partitioner;
  /** The chunks' features, without state: cached once, never changed. */
  private final JavaRDD<Chunk> features;
  /** The chunks' state as the last step left it, with its result (null before the first). */
  private JavaRDD<? extends Tuple2<Chunk.State, ?>> state;
  private int updates;

  private SparkRows(SparkSession spark, JavaRDD<Chunk> chunks, int rows, int cols,
      ChunkPartitioner partitioner) {
    this.spark = spark;
    this.rows = rows;
    this.cols = cols;
    this.chunks = partitioner.chunks;
    this.partitioner = partitioner;
    this.features = chunks;
  }

  /**
   * The rows of {@code features}, in the dataset's order, over {@code partitions} partitions (at
   * most one per chunk, and more where one would hold over a million rows). Every column must be a non-null {@code double}: encode features first.
   *
   * @throws dev.privseg.core.ConfigurationException naming a column of another type, or if there
   *     are more than {@link Integer#MAX_VALUE} rows
   */
  public static SparkRows of(Dataset<Row> features, int partitions) {
    dev.privseg.core.Checks.atLeast(partitions, 1, "partitions");
    for (org.apache.spark.sql.types.StructField f : features.schema().fields()) {
      if (!(f.dataType() instanceof org.apache.spark.sql.types.DoubleType)) {
        throw new dev.privseg.core.ConfigurationException("feature column '" + f.name()
            + "' is " + f.dataType().simpleString() + "; k-means takes double columns only");
      }
    }
    String[] names = features.columns();
    Grouped grouped = group(features, partitions);
    JavaRDD<Chunk> chunks = grouped.chunks().map(c -> {
      double[] values = new double[c._2().size() * names.length];
      for (int r = 0; r < c._2().size(); r++) {
        System.arraycopy(values(c._2().get(r), names, (long) c._1() * CHUNK + r), 0, values,
            r * names.length, names.length);
      }
      return new Chunk(c._1(), names.length, values);
    });
    return of(features.sparkSession(), chunks, grouped, names.length);
  }

  /** Chunks of feature rows made from {@code grouped}'s chunks of rows, cached. */
  static SparkRows of(SparkSession spark, JavaRDD<Chunk> chunks, Grouped grouped, int cols) {
    chunks.persist(StorageLevel.MEMORY_AND_DISK());
    SparkErrors.action(chunks::count);
    return new SparkRows(spark, chunks, grouped.rows(), cols, grouped.partitioner());
  }

  /**
   * Other features of the same rows, in the same chunks and partitions, cached: {@code chunks}
   * made from these rows' source chunk by chunk, {@code cols} features each.
   */
  SparkRows withChunks(JavaRDD<Chunk> chunks, int cols) {
    chunks.persist(StorageLevel.MEMORY_AND_DISK());
    SparkErrors.action(chunks::count);
    return new SparkRows(spark, chunks, rows, cols, partitioner);
  }

  /**
   * The rows of {@code data}, numbered in its order, in chunks of {@link #CHUNK} consecutive
   * rows: {@code (chunk, rows)}, each chunk whole in one partition, consecutive chunks together.
   *
   * @param chunks the chunks (computed when used; cache them if used twice)
   * @param rows the number of rows
   * @param partitioner where each chunk lives
   * @param release drops what the grouping cached; call it once the chunks are cached
   */
  record Grouped(JavaRDD<Tuple2<Integer, List<Row>>> chunks, int rows,
      ChunkPartitioner partitioner, Runnable release) {
    Grouped(JavaRDD<Tuple2<Integer, List<Row>>> chunks, int rows,
        ChunkPartitioner partitioner) {
      this(chunks, rows, partitioner, () -> { });
    }
  }

  /**
   * {@code data}'s rows, numbered in its order, in chunks over {@code partitions} partitions (more
   * where a partition would hold more than {@link #MAX_PARTITION_ROWS} rows; at most one per
   * chunk).
   */
  static Grouped group(Dataset<Row> data, int partitions) {
    // Numbered as zipWithIndex numbers them, but counted once: one pass for the partitions'
    // sizes (and so the count), one for the shuffle into chunks.
    JavaRDD<Row> source = data.javaRDD();
    List<Long> sizes = SparkErrors.action(source.mapPartitions(rows -> {
      long n = 0;
      for (; rows.hasNext(); rows.next()) {
        n++;
      }
      return List.of(n).iterator();
    })::collect);
    long[] starts = new long[sizes.size()];
    long count = 0;
    for (int p = 0; p < starts.length; p++) {
      starts[p] = count;
      count += sizes.get(p);
    }
    JavaPairRDD<Long, Row> numbered = source.mapPartitionsWithIndex(
        (p, rows) -> numbered(rows, starts[p]), true).mapToPair(t -> t);
    ChunkPartitioner partitioner = partitioner(count, partitions);
    JavaRDD<Tuple2<Integer, List<Row>>> chunks = numbered
        .repartitionAndSortWithinPartitions(partitioner, new ByRow())
        .mapPartitions(new Assemble(), true);
    return new Grouped(chunks, (int) count, partitioner);
  }

  /**
   * {@code data}'s rows numbered by the values of its column {@code order} (distinct and
   * non-negative {@code long}s, as {@code monotonically_increasing_id} makes them), whatever the
   * order of its partitions, in chunks as {@link #group(Dataset, int)} makes them; each row keeps
   * every column of {@code data}. One shuffle of the rows: the partitions' first values are
   * found exactly from a count of the values by range and the values of the few ranges that
   * hold a partition's first row (two passes over {@code order} alone), so each partition
   * receives exactly its chunks' rows and sorts them. {@code data} is cached for the three passes
   * until {@link Grouped#release}.
   *
   * @throws dev.privseg.core.ConfigurationException if there are more than
   *     {@link Integer#MAX_VALUE} rows, or the rows changed between the passes
   */
  static Grouped group(Dataset<Row> data, String order, int partitions) {
    Dataset<Row> held = data.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return group(held, order, partitions, () -> held.unpersist(false));
    } catch (RuntimeException e) {
      held.unpersist(false);
      throw e;
    }
  }

  private static Grouped group(Dataset<Row> data, String order, int partitions,
      Runnable release) {
    Column bucket = shiftrightunsigned(col(order), BUCKET_BITS);
    List<Row> histogram = new ArrayList<>(SparkErrors.action(
        data.groupBy(bucket.as("bucket")).count()::collectAsList));
    histogram.sort(Comparator.comparingLong(r -> r.getLong(0)));
    long[] buckets = new long[histogram.size()];
    long[] before = new long[histogram.size() + 1];
    for (int b = 0; b < buckets.length; b++) {
      buckets[b] = histogram.get(b).getLong(0);
      before[b + 1] = before[b] + histogram.get(b).getLong(1);
    }
    long count = before[buckets.length];
    ChunkPartitioner chunked = partitioner(count, partitions);
    int parts = chunked.numPartitions();
    long[] firstRow = new long[parts + 1];
    firstRow[parts] = count;
    for (int c = chunked.chunks - 1; c >= 0; c--) {
      firstRow[chunked.partitionOfChunk(c)] = (long) c * CHUNK;
    }
    // Each later partition's first row lies in one range of values; where it is not the
    // range's first, that range's values are fetched and sorted to find it.
    long[] bounds = new long[parts - 1];
    int[] rangeOf = new int[parts - 1];
    Set<Long> split = new TreeSet<>();
    for (int q = 1; q < parts; q++) {
      int b = Arrays.binarySearch(before, 0, buckets.length, firstRow[q]);
      b = b >= 0 ? b : -b - 2;
      rangeOf[q - 1] = b;
      bounds[q - 1] = buckets[b] << BUCKET_BITS;
      if (firstRow[q] > before[b]) {
        split.add(buckets[b]);
      }
    }
    if (!split.isEmpty()) {
      Map<Long, List<Long>> values = new HashMap<>();
      for (Row r : SparkErrors.action(data.where(bucket.isin(split.toArray()))
          .select(col(order))::collectAsList)) {
        values.computeIfAbsent(r.getLong(0) >>> BUCKET_BITS, k -> new ArrayList<>())
            .add(r.getLong(0));
      }
      values.values().forEach(v -> v.sort(null));
      for (int q = 1; q < parts; q++) {
        int b = rangeOf[q - 1];
        long offset = firstRow[q] - before[b];
        List<Long> inRange = values.getOrDefault(buckets[b], List.of());
        if (offset > 0) {
          if (inRange.size() != before[b + 1] - before[b]) {
            throw changed();
          }
          bounds[q - 1] = inRange.get((int) offset);
        }
      }
    }
    int column = data.schema().fieldIndex(order);
    JavaRDD<Tuple2<Integer, List<Row>>> chunks = data.javaRDD()
        .mapToPair(r -> new Tuple2<>(r.getLong(column), r))
        .repartitionAndSortWithinPartitions(new ByValue(bounds), new ByRow())
        .mapPartitionsWithIndex((p, rows) -> numbered(new Counted<>(rows,
            firstRow[p + 1] - firstRow[p]), firstRow[p]), true)
        .mapPartitions(new Assemble(), true);
    return new Grouped(chunks, (int) count, chunked, release);
  }

  /** Chunks of {@code count} rows over {@code partitions} partitions, or more (see above). */
  private static ChunkPartitioner partitioner(long count, int partitions) {
    if (count > Integer.MAX_VALUE) {
      throw new dev.privseg.core.ConfigurationException("privseg on Spark takes at most "
          + Integer.MAX_VALUE + " rows but the input has " + count);
    }
    int rows = (int) count;
    int chunkCount = Math.max(1, (rows + CHUNK - 1) / CHUNK);
    return new ChunkPartitioner(chunkCount, Math.max(1, Math.min(Math.max(partitions,
        (rows + MAX_PARTITION_ROWS - 1) / MAX_PARTITION_ROWS), chunkCount)));
  }

  /** The rows, numbered from {@code first}. */
  private static <T> Iterator<Tuple2<Long, T>> numbered(Iterator<T> rows, long first) {
    long[] next = {first};
    return new Iterator<Tuple2<Long, T>>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Tuple2<Long, T> next() {
        return new Tuple2<>(next[0]++, rows.next());
      }
    };
  }

  private static dev.privseg.core.ConfigurationException changed() {
    return new dev.privseg.core.ConfigurationException("the rows changed between Spark's jobs; "
        + "make the input deterministic (cache or checkpoint it) before running");
  }

  /** Row {@code number}'s features; throws naming the column and row (never the value). */
  private static double[] values(Row row, String[] names, long number) {
    double[] v = new double[names.length];
    for (int j = 0; j < v.length; j++) {
      if (row.isNullAt(j) || !Double.isFinite(row.getDouble(j))) {
        throw new dev.privseg.core.ConfigurationException("feature column '" + names[j]
            + "' has no finite number at row " + number + " (missing, NaN or infinite)");
      }
      v[j] = row.getDouble(j);
    }
    return v;
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public int cols() {
    return cols;
  }

  /**
   * {@inheritDoc} The step runs on a copy of each chunk's state; only the new state (a few bytes
   * a row) is cached for the next step, never the features again.
   */
  @Override
  public <R extends Serializable> List<R> update(ChunkStep<R> step) {
    JavaRDD<Tuple2<Chunk.State, Tuple2<Integer, R>>> next = current().map(chunk -> {
      Chunk copy = chunk.copy();
      R result = step.apply(copy);
      return new Tuple2<>(copy.state(), new Tuple2<>(copy.index(), result));
    });
    next.persist(StorageLevel.MEMORY_AND_DISK());
    if (++updates % CUT_EVERY == 0) {
      next.rdd().localCheckpoint();
    }
    List<R> ordered = new ArrayList<>(java.util.Collections.nCopies(chunks, null));
    for (Tuple2<Integer, R> r : SparkErrors.action(next.map(Tuple2::_2)::collect)) {
      ordered.set(r._1(), r._2());
    }
    if (state != null) {
      state.unpersist(false);
    }
    state = next;
    return ordered;
  }

  /** The chunks as they stand: the cached features with the state the last step left. */
  private JavaRDD<Chunk> current() {
    return state == null ? features : features.zipPartitions(state, SparkRows::withStates);
  }

  /** A partition's chunks, each with its state (a static function: tasks carry no SparkRows). */
  private static Iterator<Chunk> withStates(Iterator<Chunk> chunks,
      Iterator<? extends Tuple2<Chunk.State, ?>> states) {
    return new Iterator<Chunk>() {
      @Override
      public boolean hasNext() {
        return chunks.hasNext();
      }

      @Override
      public Chunk next() {
        return chunks.next().withState(states.next()._1());
      }
    };
  }

  @Override
  public <R extends Serializable> R read(int chunk, ChunkStep<R> step) {
    JavaRDD<R> one = current().filter(c -> c.index() == chunk).map(c -> step.apply(c.copy()));
    List<R>[] found = SparkErrors.action(
        () -> one.collectPartitions(new int[] {partitioner.partitionOfChunk(chunk)}));
    return found[0].get(0);
  }

  /**
   * Every row's segment after a fit: rows {@code (row, segment)}, {@code row} the row's number
   * in the input's order from 0.
   *
   * @throws IllegalStateException (when the dataset is computed) before a fit
   */
  public Dataset<Row> segments() {
    JavaRDD<Row> rows = current().flatMap(chunk -> {
      List<Row> out = new ArrayList<>(chunk.rows());
      for (int r = 0; r < chunk.rows(); r++) {
        out.add(org.apache.spark.sql.RowFactory.create((long) chunk.firstRow() + r,
            chunk.label(r)));
      }
      return out.iterator();
    });
    return spark.createDataFrame(rows, new org.apache.spark.sql.types.StructType()
        .add("row", org.apache.spark.sql.types.DataTypes.LongType, false)
        .add("segment", org.apache.spark.sql.types.DataTypes.IntegerType, false));
  }

  /** The session the rows live in. */
  SparkSession spark() {
    return spark;
  }

  /** The chunks as they stand (after a fit, with each row's segment). */
  JavaRDD<Chunk> chunkRdd() {
    return current();
  }

  /** Every row's segment after a fit, in row order, read in one job. */
  @Override
  public int[] labels() {
    int[] out = new int[rows];
    for (Tuple2<Integer, int[]> c : current().map(chunk -> {
      int[] l = new int[chunk.rows()];
      for (int r = 0; r < l.length; r++) {
        l[r] = chunk.label(r);
      }
      return new Tuple2<>(chunk.firstRow(), l);
    }).collect()) {
      System.arraycopy(c._2(), 0, out, c._1(), c._2().length);
    }
    return out;
  }

  /** Drops the cached chunks and their state. */
  @Override
  public void close() {
    features.unpersist(false);
    if (state != null) {
      state.unpersist(false);
      state = null;
    }
  }

  /** Consecutive chunks to each partition, every row of a chunk to its chunk's partition. */
  static final class ChunkPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int chunks;
    private final int partitions;

    ChunkPartitioner(int chunks, int partitions) {
      this.chunks = chunks;
      this.partitions = partitions;
    }

    @Override
    public int numPartitions() {
      return partitions;
    }

    @Override
    public int getPartition(Object row) {
      return partitionOfChunk((int) ((Long) row / CHUNK));
    }

    int partitionOfChunk(int chunk) {
      return (int) ((long) chunk * partitions / chunks);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ChunkPartitioner p && p.chunks == chunks && p.partitions == partitions;
    }

    @Override
    public int hashCode() {
      return 31 * chunks + partitions;
    }
  }

  /** Sends each order value to the partition whose first value is the greatest not above it. */
  private static final class ByValue extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final long[] bounds;

    ByValue(long[] bounds) {
      this.bounds = bounds;
    }

    @Override
    public int numPartitions() {
      return bounds.length + 1;
    }

    @Override
    public int getPartition(Object value) {
      int i = Arrays.binarySearch(bounds, (Long) value);
      return i >= 0 ? i + 1 : -i - 1;
    }
  }

  /** A partition's values, which must be exactly {@code expected} many. */
  private static final class Counted<T> implements Iterator<T> {
    private final Iterator<Tuple2<Long, T>> rows;
    private final long expected;
    private long seen;

    Counted(Iterator<Tuple2<Long, T>> rows, long expected) {
      this.rows = rows;
      this.expected = expected;
    }

    @Override
    public boolean hasNext() {
      boolean more = rows.hasNext();
      if (more ? seen >= expected : seen != expected) {
        throw changed();
      }
      return more;
    }

    @Override
    public T next() {
      seen++;
      return rows.next()._2();
    }
  }

  /** Orders rows by their number. */
  private static final class ByRow implements Comparator<Long>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Long a, Long b) {
      return Long.compare(a, b);
    }
  }

  /** Packs a partition's rows, in order, into its chunks. */
  private static final class Assemble implements org.apache.spark.api.java.function
      .FlatMapFunction<Iterator<Tuple2<Long, Row>>, Tuple2<Integer, List<Row>>> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<Tuple2<Integer, List<Row>>> call(Iterator<Tuple2<Long, Row>> rows) {
      List<Tuple2<Integer, List<Row>>> out = new ArrayList<>();
      List<Row> chunk = null;
      int index = -1;
      while (rows.hasNext()) {
        Tuple2<Long, Row> row = rows.next();
        int c = (int) (row._1() / CHUNK);
        if (c != index) {
          if (chunk != null) {
            out.add(new Tuple2<>(index, chunk));
          }
          index = c;
          chunk = new ArrayList<>(CHUNK);
        }
        chunk.add(row._2());
      }
      if (chunk != null) {
        out.add(new Tuple2<>(index, chunk));
      }
      return out.iterator();
    }
  }
}
