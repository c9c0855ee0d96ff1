package dev.privseg.spark;

import org.apache.spark.sql.SparkSession;

/** One local Spark session for the module's tests, on loopback, without a UI. */
final class LocalSpark {
  private static SparkSession session;

  private LocalSpark() {}

  /** The session, started on first use with two worker threads; stopped when the JVM exits. */
  static synchronized SparkSession session() {
    if (session == null || session.sparkContext().isStopped()) {
      session = SparkSession.builder()
          .appName("privseg-spark-tests")
          .master("local[2]")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.sql.session.timeZone", "UTC")
          .config("spark.sql.datetime.java8API.enabled", "true")
          .getOrCreate();
      SparkSession started = session;
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
    }
    return session;
  }

  /** Stops the session, if one runs: one JVM holds one Spark context at a time. */
  static synchronized void stop() {
    if (session != null) {
      session.stop();
      session = null;
    }
  }
}
