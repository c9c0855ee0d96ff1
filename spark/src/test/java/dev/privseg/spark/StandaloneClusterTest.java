package dev.privseg.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.anonymization.mondrian.Mondrian;
import dev.privseg.core.minimize.MinimizationRules;
import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentationResult;
import dev.privseg.core.segment.kmeans.ChunkedFit;
import dev.privseg.core.segment.kmeans.ChunkedRows;
import dev.privseg.core.segment.kmeans.KMeans;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real standalone cluster (a master, a worker and its executors, each a JVM of its own, on
 * loopback), where privseg's classes reach the executors as application jars and every rule,
 * step, chunk and privacy model crosses JVMs serialized: the minimize stage, Mondrian under
 * l-diversity and t-closeness, and k-means give what they give locally.
 */
class StandaloneClusterTest {

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void theStagesOnAStandaloneClusterGiveTheLocalResults(@TempDir Path dir) throws Exception {
    LocalSpark.stop();
    try (StandaloneCluster cluster = StandaloneCluster.start(dir, 2)) {
      SparkSession spark = SparkSession.builder()
          .appName("privseg-cluster-test")
          .master(cluster.url())
          .config("spark.jars", cluster.appJars())
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.ui.enabled", "false")
          .config("spark.executor.memory", "512m")
          .config("spark.cores.max", "2")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.sql.session.timeZone", "UTC")
          .config("spark.sql.datetime.java8API.enabled", "true")
          .getOrCreate();
      try {
        // The executors are other JVMs: nothing a task does can reach this one's memory.
        assertThat(spark.sparkContext().master()).startsWith("spark://");

        List<Row> rows = SparkInputProperties.rows(3, 500);
        Dataset<Row> accepted = SparkInput.accepted(new SparkInput(SparkInputProperties.SCHEMA)
            .tagged(spark.createDataFrame(rows, SparkInputProperties.STRUCT).repartition(3)
                .sortWithinPartitions("id")), SparkInputProperties.SCHEMA.names());
        MinimizationRules rules = SparkMinimizeProperties.rules(false);
        List<Row> minimized = new SparkMinimize(rules, "id")
            .run(accepted, SparkInputProperties.SCHEMA, Instant.parse("2023-11-25T00:00:00Z"))
            .rows().collectAsList();
        assertThat(minimized).isNotEmpty();
        assertThat(minimized.get(0).getString(1)).matches("\\[\\d+, \\d+\\)");

        // The models checked in the executors' tasks, the whole table's values sent to them.
        Mondrian mondrian = Mondrian.on("age", "income", "tenure").k(5);
        assertThat(SparkMondrianProperties.sameAsLocally(spark,
            SparkMondrianProperties.rows(5, 1_500), SparkMondrianProperties.withModel(mondrian, 3),
            40, 3)).isPositive();

        int n = 3 * ChunkedRows.CHUNK + 5;
        double[] x = SparkKMeansTest.data(n, 4, 5);
        KMeans kmeans = KMeans.clusters(4).seed(2).maxIterations(20);
        SegmentationResult local = kmeans.fit(FeatureMatrix.of(x, n,
            List.of("f0", "f1", "f2", "f3")), SegmentContext.of(Runnable::run, 1));
        try (SparkRows chunks = SparkRows.of(SparkKMeansTest.frame(spark, x, n, 4, 2), 3)) {
          ChunkedFit fit = kmeans.fit(chunks, SegmentContext.of(Runnable::run, 1));
          assertThat(fit.centroids()).isEqualTo(local.centroids());
          assertThat(fit.inertia()).isEqualTo(local.inertia());
          assertThat(chunks.labels()).isEqualTo(local.labels());
        }
        assertThat(spark.sparkContext().statusTracker().getExecutorInfos())
            .as("the driver and at least one executor").hasSizeGreaterThan(1);
      } finally {
        spark.stop();
      }
    }
  }
}
