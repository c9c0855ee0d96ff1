package dev.privseg.spark;

import dev.privseg.core.segment.kmeans.Chunk;
import dev.privseg.core.segment.kmeans.ChunkStep;
import dev.privseg.core.segment.kmeans.ChunkedRows;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * A feature matrix held on Spark's executors as {@link ChunkedRows}: rows numbered in the
 * dataset's order, cut into chunks of {@link ChunkedRows#CHUNK} consecutive rows, each chunk
 * whole in one partition (consecutive chunks together), cached in memory. A step runs on a copy
 * of every chunk (a cached partition is never changed), and the copies, with the state the step
 * left, are cached in turn; the previous generation is dropped once the new one is computed.
 * Results come back to the driver and are put in chunk order there, so the fit adds them in the
 * local order, whatever the number of partitions. Not thread-safe: one fit at a time.
 */
final class SparkChunks implements ChunkedRows, AutoCloseable {
  /** Steps after which the lineage is cut, so that task closures stay small. */
  private static final int CUT_EVERY = 16;

  private final int rows;
  private final int cols;
  private final int chunks;
  private final ChunkPartitioner partitioner;
  private JavaRDD<Chunk> current;
  private final List<JavaRDD<?>> cached = new ArrayList<>();
  private int updates;

  private SparkChunks(JavaRDD<Chunk> chunks, int rows, int cols, ChunkPartitioner partitioner) {
    this.rows = rows;
    this.cols = cols;
    this.chunks = partitioner.chunks;
    this.partitioner = partitioner;
    this.current = chunks;
    cached.add(chunks);
  }

  /**
   * The rows of {@code features}, all of whose columns are {@code double}s with no nulls, in the
   * dataset's order, over {@code partitions} partitions (at most one per chunk).
   */
  static SparkChunks of(Dataset<Row> features, int partitions) {
    int cols = features.columns().length;
    JavaPairRDD<Long, double[]> numbered = features.javaRDD().zipWithIndex()
        .mapToPair(t -> new Tuple2<>(t._2(), values(t._1(), cols)));
    long count = numbered.count();
    if (count > Integer.MAX_VALUE) {
      throw new dev.privseg.core.ConfigurationException("k-means on Spark takes at most "
          + Integer.MAX_VALUE + " rows but the input has " + count);
    }
    int rows = (int) count;
    int chunkCount = Math.max(1, (rows + CHUNK - 1) / CHUNK);
    ChunkPartitioner partitioner = new ChunkPartitioner(chunkCount,
        Math.max(1, Math.min(partitions, chunkCount)));
    JavaRDD<Chunk> chunks = numbered
        .repartitionAndSortWithinPartitions(partitioner, new ByRow())
        .mapPartitions(new Assemble(cols), true);
    chunks.persist(StorageLevel.MEMORY_ONLY());
    return new SparkChunks(chunks, rows, cols, partitioner);
  }

  private static double[] values(Row row, int cols) {
    double[] v = new double[cols];
    for (int j = 0; j < cols; j++) {
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

  @Override
  public <R extends Serializable> List<R> update(ChunkStep<R> step) {
    JavaRDD<Tuple2<Chunk, R>> next = current.map(chunk -> {
      Chunk copy = chunk.copy();
      return new Tuple2<>(copy, step.apply(copy));
    });
    next.persist(StorageLevel.MEMORY_ONLY());
    if (++updates % CUT_EVERY == 0) {
      next.rdd().localCheckpoint();
    }
    List<Tuple2<Integer, R>> results = next
        .map(t -> new Tuple2<>(t._1().index(), t._2())).collect();
    List<R> ordered = new ArrayList<>(java.util.Collections.nCopies(chunks, null));
    for (Tuple2<Integer, R> r : results) {
      ordered.set(r._1(), r._2());
    }
    for (JavaRDD<?> old : cached) {
      old.unpersist(false);
    }
    cached.clear();
    cached.add(next);
    current = next.map(Tuple2::_1);
    return ordered;
  }

  @Override
  public <R extends Serializable> R read(int chunk, ChunkStep<R> step) {
    List<R>[] found = current.filter(c -> c.index() == chunk)
        .map(c -> step.apply(c.copy()))
        .collectPartitions(new int[] {partitioner.partitionOfChunk(chunk)});
    return found[0].get(0);
  }

  /** Every row's segment after a fit, in row order (for tests and small inputs). */
  int[] labels() {
    int[] out = new int[rows];
    for (Tuple2<Integer, int[]> c : current.map(chunk -> {
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

  /** Drops the cached chunks. */
  @Override
  public void close() {
    for (JavaRDD<?> old : cached) {
      old.unpersist(false);
    }
    cached.clear();
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

  /** Orders rows by their number. */
  static final class ByRow implements Comparator<Long>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Long a, Long b) {
      return Long.compare(a, b);
    }
  }

  /** Packs a partition's rows, in order, into its chunks. */
  static final class Assemble implements
      org.apache.spark.api.java.function.FlatMapFunction<Iterator<Tuple2<Long, double[]>>, Chunk> {
    private static final long serialVersionUID = 1L;
    private final int cols;

    Assemble(int cols) {
      this.cols = cols;
    }

    @Override
    public Iterator<Chunk> call(Iterator<Tuple2<Long, double[]>> rows) {
      List<Chunk> out = new ArrayList<>();
      double[] values = null;
      int chunk = -1;
      int filled = 0;
      while (rows.hasNext()) {
        Tuple2<Long, double[]> row = rows.next();
        int c = (int) (row._1() / CHUNK);
        if (c != chunk) {
          if (values != null) {
            out.add(new Chunk(chunk, cols, java.util.Arrays.copyOf(values, filled * cols)));
          }
          chunk = c;
          values = new double[CHUNK * cols];
          filled = 0;
        }
        System.arraycopy(row._2(), 0, values, filled * cols, cols);
        filled++;
      }
      if (values != null) {
        out.add(new Chunk(chunk, cols, java.util.Arrays.copyOf(values, filled * cols)));
      }
      return out.iterator();
    }
  }
}
