package dev.privseg.benchmarks;

import org.apache.spark.sql.SparkSession;

/** The Spark session of the Spark harnesses: local mode, on loopback only, no UI, quiet logs. */
final class LoopbackSpark {
  private LoopbackSpark() {}

  /** A session named {@code app} on {@code cores} cores with {@code shufflePartitions}. */
  static SparkSession start(String app, int cores, int shufflePartitions) {
    SparkSession spark = SparkSession.builder().appName(app)
        .master("local[" + cores + "]")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", Integer.toString(shufflePartitions))
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }
}
