package dev.privseg.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentationResult;
import dev.privseg.core.segment.kmeans.ChunkedFit;
import dev.privseg.core.segment.kmeans.ChunkedRows;
import dev.privseg.core.segment.kmeans.KMeans;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * k-means on Spark's executors is the local k-means, to the last bit, whatever the number of
 * partitions: the same labels, centroids, sizes, inertia and iterations.
 */
class SparkKMeansTest {
  private static final SegmentContext ONE_THREAD = SegmentContext.of(Runnable::run, 1);

  /** Rows from 12 Gaussian groups in 4 features, more groups than the 5 centres asked. */
  static double[] data(int n, int d, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] groups = new double[12][d];
    for (double[] g : groups) {
      for (int j = 0; j < d; j++) {
        g[j] = r.nextDouble() * 10;
      }
    }
    double[] x = new double[n * d];
    for (int i = 0; i < n; i++) {
      double[] g = groups[r.nextInt(groups.length)];
      for (int j = 0; j < d; j++) {
        x[i * d + j] = g[j] + r.nextGaussian();
      }
    }
    return x;
  }

  static Dataset<Row> frame(double[] x, int n, int d, int partitions) {
    return frame(LocalSpark.session(), x, n, d, partitions);
  }

  static Dataset<Row> frame(org.apache.spark.sql.SparkSession spark, double[] x, int n, int d,
      int partitions) {
    StructType struct = new StructType();
    for (int j = 0; j < d; j++) {
      struct = struct.add("f" + j, DataTypes.DoubleType, false);
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Object[] v = new Object[d];
      for (int j = 0; j < d; j++) {
        v[j] = x[i * d + j];
      }
      rows.add(RowFactory.create(v));
    }
    return spark.createDataFrame(rows, struct).repartition(1)
        .coalesce(Math.min(partitions, 4));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5})
  void sparkKMeansIsLocalKMeansBitForBit(int partitions) {
    int n = 4 * ChunkedRows.CHUNK + 333;
    int d = 4;
    double[] x = data(n, d, 7);
    List<String> names = List.of("f0", "f1", "f2", "f3");
    KMeans kmeans = KMeans.clusters(5).seed(11).maxIterations(30);
    SegmentationResult local = kmeans.fit(FeatureMatrix.of(x, n, names), ONE_THREAD);

    try (SparkRows chunks = SparkRows.of(frame(x, n, d, partitions), partitions)) {
      ChunkedFit spark = kmeans.fit(chunks, ONE_THREAD);
      assertThat(spark.centroids()).isEqualTo(local.centroids());
      assertThat(spark.inertia()).isEqualTo(local.inertia());
      assertThat(spark.iterations()).isEqualTo(local.iterations());
      assertThat(spark.converged()).isEqualTo(local.converged());
      assertThat(chunks.labels()).isEqualTo(local.labels());
      List<Row> segments = chunks.segments().orderBy("row").collectAsList();
      assertThat(segments).hasSize(n);
      for (int r = 0; r < n; r += 997) {
        assertThat(segments.get(r).getLong(0)).isEqualTo(r);
        assertThat(segments.get(r).getInt(1)).isEqualTo(local.labels()[r]);
      }
      long[] sizes = new long[5];
      for (int label : local.labels()) {
        sizes[label]++;
      }
      assertThat(spark.sizes()).isEqualTo(sizes);
    }
  }

  @Test
  void noPartitionHoldsMoreThanAMillionRowsWhateverWasAsked() {
    int rows = SparkRows.MAX_PARTITION_ROWS + ChunkedRows.CHUNK + 1;
    SparkRows.Grouped grouped = SparkRows.group(LocalSpark.session().range(rows).toDF(), 1);
    assertThat(grouped.rows()).isEqualTo(rows);
    assertThat(grouped.partitioner().numPartitions()).isEqualTo(2);
    assertThat(SparkRows.group(LocalSpark.session().range(1_000).toDF(), 1).partitioner()
        .numPartitions()).isEqualTo(1);
  }

  @Test
  void aColumnThatIsNotAFiniteDoubleIsNamedWithItsRowNotItsValue() {
    StructType struct = new StructType().add("f0", DataTypes.DoubleType)
        .add("f1", DataTypes.DoubleType);
    Dataset<Row> withNaN = LocalSpark.session().createDataFrame(List.of(
        RowFactory.create(1.0, 2.0), RowFactory.create(3.0, Double.NaN)), struct);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SparkRows.of(withNaN, 1))
        .isInstanceOf(dev.privseg.core.ConfigurationException.class)
        .hasMessage("feature column 'f1' has no finite number at row 1 (missing, NaN or "
            + "infinite)");
    Dataset<Row> text = LocalSpark.session().createDataFrame(List.of(RowFactory.create("x")),
        new StructType().add("f0", DataTypes.StringType));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SparkRows.of(text, 1))
        .isInstanceOf(dev.privseg.core.ConfigurationException.class)
        .hasMessage("feature column 'f0' is string; k-means takes double columns only");
  }
}
