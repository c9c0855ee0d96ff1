package dev.privseg.benchmarks;

import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.kmeans.ChunkedFit;
import dev.privseg.core.segment.kmeans.KMeans;
import java.util.List;

/**
 * Quality side of {@link SparkKMeansBenchmark}: privseg on Spark and MLlib's {@code KMeans}, each
 * for 11 iterations and to convergence (at most 100 iterations, MLlib's tolerance 0, privseg's 0
 * too), on the benchmark's rows and session, for seeds 1..3; prints each final inertia. Run with
 * {@code java <Spark's flags> -cp "benchmarks/target/benchmarks.jar:$(cat
 * benchmarks/target/spark-classpath.txt)" dev.privseg.benchmarks.SparkKMeansInertia [--groups]
 * [--best-of] [rows]}: {@code --groups} draws the rows from 16 Gaussian groups instead of
 * uniformly; {@code --best-of} compares single fits and the best of several seeds, with times.
 */
public final class SparkKMeansInertia {
  private SparkKMeansInertia() {}

  /** Prints the inertias. */
  public static void main(String[] args) {
    SparkKMeansBenchmark data = new SparkKMeansBenchmark();
    List<String> options = java.util.Arrays.asList(args);
    data.groups = options.contains("--groups");
    data.rows = options.stream().filter(a -> !a.startsWith("--")).findFirst()
        .map(Integer::parseInt).orElse(1_000_000);
    data.setUp();
    try {
      if (options.contains("--best-of")) {
        bestOf(data);
        return;
      }
      for (long seed = 1; seed <= 3; seed++) {
        for (int iterations : new int[] {11, 100}) {
          ChunkedFit ours = KMeans.clusters(SparkKMeansBenchmark.K).seed(seed)
              .maxIterations(iterations).tolerance(0)
              .fit(data.chunks, SegmentContext.of(Runnable::run, 1));
          double mllib = new org.apache.spark.ml.clustering.KMeans()
              .setK(SparkKMeansBenchmark.K).setSeed(seed).setMaxIter(iterations).setTol(0)
              .fit(data.vectors).summary().trainingCost();
          System.out.printf("seed %d, at most %d iterations: privseg %.1f (%d iterations), "
              + "MLlib %.1f%n", seed, iterations, ours.inertia(), ours.iterations(), mllib);
        }
      }
    } finally {
      data.tearDown();
    }
  }

  /**
   * Both to convergence (at most 100 iterations, tolerance 0), for seeds 1..3: MLlib once and
   * as the best of 3 seeds (s, s + 100, s + 200), privseg once and with {@code restarts(3)} and
   * {@code restarts(10)}; prints each inertia and wall time, for a comparison at equal time.
   */
  private static void bestOf(SparkKMeansBenchmark data) {
    SegmentContext one = SegmentContext.of(Runnable::run, 1);
    for (long seed = 1; seed <= 3; seed++) {
      for (int restarts : new int[] {1, 3, 10}) {
        long started = System.nanoTime();
        ChunkedFit ours = KMeans.clusters(SparkKMeansBenchmark.K).seed(seed).maxIterations(100)
            .tolerance(0).restarts(restarts).fit(data.chunks, one);
        double oursSeconds = (System.nanoTime() - started) / 1e9;
        if (restarts > 3) { // MLlib's ten fits would take minutes: privseg's alone
          System.out.printf("seed %d, best of %d: privseg %.1f in %.1f s%n", seed, restarts,
              ours.inertia(), oursSeconds);
          continue;
        }
        started = System.nanoTime();
        double mllib = Double.POSITIVE_INFINITY;
        for (int r = 0; r < restarts; r++) {
          mllib = Math.min(mllib, new org.apache.spark.ml.clustering.KMeans()
              .setK(SparkKMeansBenchmark.K).setSeed(seed + 100L * r).setMaxIter(100).setTol(0)
              .fit(data.vectors).summary().trainingCost());
        }
        double mllibSeconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("seed %d, best of %d: privseg %.1f in %.1f s, MLlib %.1f in %.1f s%n",
            seed, restarts, ours.inertia(), oursSeconds, mllib, mllibSeconds);
      }
    }
  }
}
