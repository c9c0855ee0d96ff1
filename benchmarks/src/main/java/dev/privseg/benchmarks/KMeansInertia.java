package dev.privseg.benchmarks;

import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.kmeans.KMeans;
import java.util.List;
import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.random.JDKRandomGenerator;

/**
 * Quality side of {@link KMeansBenchmark}: runs privseg, Smile (lloyd and its default fit) and
 * Commons Math to convergence (at most 100 iterations) on the benchmark's data and prints each
 * final inertia (sum of squared distances to the assigned centre), on both of its data shapes.
 * Run with {@code java -cp benchmarks/target/benchmarks.jar dev.privseg.benchmarks.KMeansInertia
 * [rows [uniform|groups]]}.
 */
public final class KMeansInertia {
  private KMeansInertia() {}

  /** Prints the inertia of each implementation for seeds 1..3. */
  public static void main(String[] args) {
    String[] shapes = args.length > 1 ? new String[] {args[1]} : new String[] {"uniform", "groups"};
    for (String shape : shapes) {
      KMeansBenchmark data = new KMeansBenchmark();
      data.rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
      data.data = shape;
      data.setUp();
      System.out.println(shape + ":");
      printInertias(data);
    }
  }

  private static void printInertias(KMeansBenchmark data) {
    for (long seed = 1; seed <= 3; seed++) {
      FeatureMatrix m = FeatureMatrix.of(data.flat, data.rows, KMeansBenchmark.names());
      // Same stopping rule as the peers: until no row moves, or 100 iterations.
      double ours = KMeans.clusters(KMeansBenchmark.K).seed(seed).maxIterations(100)
          .tolerance(0).fit(m, KMeansBenchmark.context()).inertia();
      double oursDefault = KMeans.clusters(KMeansBenchmark.K).seed(seed)
          .fit(m, KMeansBenchmark.context()).inertia();
      smile.math.MathEx.setSeed(seed);
      double lloyd = smile.clustering.KMeans.lloyd(data.nested, KMeansBenchmark.K, 100, 1e-4)
          .distortion;
      smile.math.MathEx.setSeed(seed);
      double fit = smile.clustering.KMeans.fit(data.nested, KMeansBenchmark.K, 100, 1e-4)
          .distortion;
      List<CentroidCluster<DoublePoint>> clusters = new KMeansPlusPlusClusterer<DoublePoint>(
          KMeansBenchmark.K, 100, new org.apache.commons.math3.ml.distance.EuclideanDistance(),
          new JDKRandomGenerator((int) seed)).cluster(data.points);
      System.out.printf("seed %d: privseg %.1f (default tolerance %.1f), smile lloyd %.1f, "
          + "smile fit %.1f, commons-math %.1f%n", seed, ours, oursDefault, lloyd, fit,
          inertia(clusters));
    }
  }

  private static double inertia(List<CentroidCluster<DoublePoint>> clusters) {
    double sum = 0;
    for (CentroidCluster<DoublePoint> c : clusters) {
      double[] centre = c.getCenter().getPoint();
      for (DoublePoint p : c.getPoints()) {
        double[] x = p.getPoint();
        for (int j = 0; j < x.length; j++) {
          sum += (x[j] - centre[j]) * (x[j] - centre[j]);
        }
      }
    }
    return sum;
  }
}
