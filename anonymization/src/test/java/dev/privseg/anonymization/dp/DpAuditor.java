package dev.privseg.anonymization.dp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.commons.math3.distribution.BetaDistribution;

/**
 * An empirical differential-privacy auditor, after Ding et al. 2018 ("Detecting Violations of
 * Differential Privacy", CCS): runs a randomized release many times on each of two neighbouring
 * datasets A and B, and derives a statistical lower bound on the ε that the release can satisfy.
 *
 * <p>A run's output is described by a vector of named statistics (a segment's noisy size, whether
 * it was released, a mean, a share). Candidate events are thresholds on one statistic,
 * {@code s >= t} or {@code s <= t}, with {@code t} among the values seen. A first batch of runs
 * (selection) picks the event whose probabilities differ most surely, in either direction (the
 * largest bound the selection runs alone would prove); a second, independent batch (measurement) estimates that event's probability on each side with
 * Clopper–Pearson intervals, each at confidence {@code 1 - alpha/2}. With probability at least
 * {@code 1 - alpha}, a release that is (ε, δ)-DP then shows
 * {@code ln((lower(P_A) - δ) / upper(P_B)) <= ε}; a larger bound proves the release is not
 * (ε, δ)-DP. The auditor can only find violations, never prove privacy: a bound below ε says the
 * chosen neighbours and events did not expose one.
 *
 * <p>Runs must draw fresh noise each time (from a seeded source, so that an audit is repeatable).
 */
final class DpAuditor {
  private final int selectionRuns;
  private final int measurementRuns;
  private final double alpha;

  private DpAuditor(int selectionRuns, int measurementRuns, double alpha) {
    this.selectionRuns = selectionRuns;
    this.measurementRuns = measurementRuns;
    this.alpha = alpha;
  }

  /** An auditor with {@code runs} measurement runs per side and a quarter as many to select. */
  static DpAuditor withRuns(int runs) {
    return new DpAuditor(Math.max(100, runs / 4), runs, 1e-3);
  }

  /**
   * What an audit found: the most distinguishing event, how often it happened on each side in the
   * measurement runs, and the lower bound on ε it proves (0 when it proves nothing).
   */
  record Finding(String event, int hitsA, int hitsB, int runs, double epsilonLowerBound) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "event %s: %d/%d on A, %d/%d on B -> epsilon >= %.3f",
          event, hitsA, runs, hitsB, runs, epsilonLowerBound);
    }
  }

  /** One threshold event on statistic {@code stat}. */
  private record Event(int stat, double threshold, boolean atLeast) {
    boolean test(double[] out) {
      double v = out[stat];
      return atLeast ? v >= threshold : v <= threshold;
    }
  }

  /**
   * Audits a release with pure ε-DP claimed; see {@link #audit(Supplier, Supplier, List, double)}.
   */
  Finding audit(Supplier<double[]> onA, Supplier<double[]> onB, List<String> statistics) {
    return audit(onA, onB, statistics, 0);
  }

  /**
   * Audits a release claimed (ε, {@code delta})-DP on neighbours A and B: {@code onA} and
   * {@code onB} each run the whole release once with fresh noise and return its statistics, in
   * the order of {@code statistics} (their names, for the finding).
   */
  Finding audit(Supplier<double[]> onA, Supplier<double[]> onB, List<String> statistics,
      double delta) {
    double[][] selA = runs(onA, selectionRuns);
    double[][] selB = runs(onB, selectionRuns);
    List<Event> events = candidates(selA, selB, statistics.size());
    Event best = null;
    boolean aOverB = true;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (Event e : events) {
      int a = count(selA, e);
      int b = count(selB, e);
      // Ranked by the bound the selection runs alone would prove (at a loose 10 %), so that an
      // event seen a handful of times by chance does not beat a steady difference; the
      // measurement runs decide.
      double ab = selectionBound(a, b);
      if (ab > bestScore) {
        bestScore = ab;
        best = e;
        aOverB = true;
      }
      double ba = selectionBound(b, a);
      if (ba > bestScore) {
        bestScore = ba;
        best = e;
        aOverB = false;
      }
    }
    double[][] measA = runs(onA, measurementRuns);
    double[][] measB = runs(onB, measurementRuns);
    int hitsA = count(measA, best);
    int hitsB = count(measB, best);
    int high = aOverB ? hitsA : hitsB;
    int low = aOverB ? hitsB : hitsA;
    double lower = clopperPearsonLower(high, measurementRuns, alpha / 2) - delta;
    double upper = clopperPearsonUpper(low, measurementRuns, alpha / 2);
    double bound = lower <= 0 ? 0 : Math.max(0, Math.log(lower / upper));
    String name = statistics.get(best.stat()) + (best.atLeast() ? " >= " : " <= ")
        + best.threshold() + (aOverB ? " (likelier on A)" : " (likelier on B)");
    Finding finding = new Finding(name, hitsA, hitsB, measurementRuns, bound);
    System.out.println("DP audit: " + finding);
    return finding;
  }

  private double selectionBound(int high, int low) {
    if (high <= low) {
      return Double.NEGATIVE_INFINITY;
    }
    double lower = clopperPearsonLower(high, selectionRuns, 0.05);
    return Math.log(lower / clopperPearsonUpper(low, selectionRuns, 0.05));
  }

  private static double[][] runs(Supplier<double[]> release, int n) {
    double[][] out = new double[n][];
    for (int i = 0; i < n; i++) {
      out[i] = release.get();
    }
    return out;
  }

  private static int count(double[][] outputs, Event e) {
    int c = 0;
    for (double[] o : outputs) {
      c += e.test(o) ? 1 : 0;
    }
    return c;
  }

  /** Thresholds at up to 40 quantiles of the values seen on either side, for every statistic. */
  private static List<Event> candidates(double[][] a, double[][] b, int stats) {
    List<Event> events = new ArrayList<>();
    for (int s = 0; s < stats; s++) {
      TreeSet<Double> seen = new TreeSet<>();
      for (double[][] side : new double[][][] {a, b}) {
        for (double[] o : side) {
          seen.add(o[s]);
        }
      }
      Double[] values = seen.toArray(new Double[0]);
      int step = Math.max(1, values.length / 40);
      for (int i = 0; i < values.length; i += step) {
        events.add(new Event(s, values[i], true));
        events.add(new Event(s, values[i], false));
      }
    }
    return events;
  }

  /** The Clopper–Pearson lower bound, at one-sided level {@code a}, of a binomial proportion. */
  static double clopperPearsonLower(int hits, int n, double a) {
    return hits == 0 ? 0 : new BetaDistribution(hits, n - hits + 1).inverseCumulativeProbability(a);
  }

  /** The Clopper–Pearson upper bound, at one-sided level {@code a}, of a binomial proportion. */
  static double clopperPearsonUpper(int hits, int n, double a) {
    return hits == n ? 1
        : new BetaDistribution(hits + 1, n - hits).inverseCumulativeProbability(1 - a);
  }

  @Override
  public String toString() {
    return "DpAuditor" + Arrays.asList(selectionRuns, measurementRuns, alpha);
  }
}
