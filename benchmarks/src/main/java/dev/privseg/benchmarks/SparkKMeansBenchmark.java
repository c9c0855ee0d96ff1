package dev.privseg.benchmarks;

import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.kmeans.ChunkedFit;
import dev.privseg.core.segment.kmeans.KMeans;
import dev.privseg.spark.SparkRows;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * k-means on Spark, in one local Spark session on both cores: privseg's ({@link SparkRows}, the
 * local fit to the last bit) against Spark MLlib's {@code KMeans}, on the same cached rows and k.
 * Both run every iteration ({@code tol = 0}); per-iteration time is the difference between 11
 * and 1 iterations over 10, which leaves seeding out (privseg seeds with k-means++, MLlib with
 * k-means||). The input is cached before: for MLlib as assembled vectors, for privseg as chunks
 * ({@code endToEnd} benchmarks include building them). Data: uniform rows in 10 features, as
 * {@link KMeansBenchmark}'s {@code uniform}, on which no fit converges within 11 iterations (on
 * its grouped rows, in the order Spark holds them, privseg's converged after 9), for k = 8.
 *
 * <p>Spark is not in the uber jar; run on the class path the build writes:
 * {@code java -cp "benchmarks/target/benchmarks.jar:$(cat benchmarks/target/spark-classpath.txt)"
 * org.openjdk.jmh.Main SparkKMeansBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
    "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
    "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
    "-Djdk.reflect.useDirectMethodHandle=false", "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class SparkKMeansBenchmark {
  static final int K = 8;

  @Param({"1000000"})
  int rows;

  @Param({"1", "11"})
  int iterations;

  /**
   * Rows in {@link KMeansBenchmark}'s 16 Gaussian groups instead of uniform (for
   * {@link SparkKMeansInertia}; the timed benchmark runs uniform rows).
   */
  boolean groups;

  SparkSession spark;
  Dataset<Row> frame;
  Dataset<Row> vectors;
  SparkRows chunks;
  int partitions;

  @Setup(Level.Trial)
  public void setUp() {
    partitions = Runtime.getRuntime().availableProcessors();
    spark = LoopbackSpark.start("privseg-spark-kmeans-benchmark", partitions, partitions);
    frame = spark.createDataFrame(rows(), struct()).repartition(partitions)
        .persist(StorageLevel.MEMORY_ONLY());
    frame.count();
    vectors = new VectorAssembler().setInputCols(frame.columns()).setOutputCol("features")
        .transform(frame).select("features").persist(StorageLevel.MEMORY_ONLY());
    vectors.count();
    chunks = SparkRows.of(frame, partitions);
  }

  private List<Row> rows() {
    SplittableRandom random = new SplittableRandom(2026);
    double[][] centres = new double[16][KMeansBenchmark.D];
    for (double[] g : centres) {
      for (int j = 0; j < g.length; j++) {
        g[j] = random.nextDouble() * 10;
      }
    }
    List<Row> out = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      Object[] v = new Object[KMeansBenchmark.D];
      double[] group = centres[random.nextInt(centres.length)];
      for (int j = 0; j < v.length; j++) {
        v[j] = groups ? group[j] + random.nextGaussian() : random.nextDouble();
      }
      out.add(RowFactory.create(v));
    }
    return out;
  }

  private static StructType struct() {
    StructType s = new StructType();
    for (String name : KMeansBenchmark.names()) {
      s = s.add(name, DataTypes.DoubleType, false);
    }
    return s;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    chunks.close();
    spark.stop();
  }

  private KMeans privsegKMeans() {
    return KMeans.clusters(K).seed(42).maxIterations(iterations).tolerance(0);
  }

  private org.apache.spark.ml.clustering.KMeans mllibKMeans() {
    return new org.apache.spark.ml.clustering.KMeans().setK(K).setSeed(42)
        .setMaxIter(iterations).setTol(0);
  }

  @Benchmark
  public double privsegSpark() {
    ChunkedFit fit = privsegKMeans().fit(chunks, SegmentContext.of(Runnable::run, 1));
    if (fit.iterations() != iterations) {
      throw new IllegalStateException("privseg stopped after " + fit.iterations());
    }
    return fit.inertia();
  }

  @Benchmark
  public double mllib() {
    KMeansModel model = mllibKMeans().fit(vectors);
    return model.summary().trainingCost();
  }

  @Benchmark
  public double privsegSparkEndToEnd() {
    try (SparkRows fresh = SparkRows.of(frame, partitions)) {
      return privsegKMeans().fit(fresh, SegmentContext.of(Runnable::run, 1)).inertia();
    }
  }

  @Benchmark
  public double mllibEndToEnd() {
    Dataset<Row> assembled = new VectorAssembler().setInputCols(frame.columns())
        .setOutputCol("features").transform(frame).select("features")
        .persist(StorageLevel.MEMORY_ONLY());
    try {
      return mllibKMeans().fit(assembled).summary().trainingCost();
    } finally {
      assembled.unpersist();
    }
  }
}
