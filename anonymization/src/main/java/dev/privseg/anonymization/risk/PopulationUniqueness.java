package dev.privseg.anonymization.risk;

import dev.privseg.core.Checks;

/**
 * Zayatz's model (1991) of population uniqueness: how many of a sample's unique records are also
 * unique in the population it was drawn from, estimated from the sample's class sizes and the
 * sampling fraction alone. The population's class-size distribution is taken to be the sample's,
 * and a population class of size {@code i} yields a sample unique with the binomial probability
 * {@code i p (1 - p)^(i - 1)} ({@code p} = sample size / population size), so that
 * {@code P(population unique | sample unique) = f1 / sum_i f_i i (1 - p)^(i - 1)} where
 * {@code f_i} is the number of sample classes of size {@code i}.
 */
public final class PopulationUniqueness {
  private PopulationUniqueness() {}

  /**
   * The estimate.
   *
   * @param estimatedUniques sample records estimated to be unique in the population
   * @param share that number as a share of the sample's records
   */
  public record Estimate(double estimatedUniques, double share) {}

  /**
   * Estimates population uniques from class sizes.
   *
   * @param classSizes the size of every equivalence class of the sample
   * @param populationSize the population size, at least the sample size
   * @return the estimate
   */
  public static Estimate zayatz(int[] classSizes, long populationSize) {
    long n = 0;
    long uniques = 0;
    for (int s : classSizes) {
      n += s;
      if (s == 1) {
        uniques++;
      }
    }
    Checks.check(populationSize >= n, "population size %s is smaller than the sample (%s rows)",
        populationSize, n);
    if (uniques == 0 || n == 0) {
      return new Estimate(0, 0);
    }
    double keep = 1 - (double) n / populationSize;
    double denominator = 0;
    for (int s : classSizes) {
      // Each class of size s adds s (1 - p)^(s - 1); computed in logs for large classes.
      denominator += s == 1 ? 1 : keep == 0 ? 0 : s * Math.exp((s - 1) * Math.log(keep));
    }
    double estimate = uniques * (uniques / denominator);
    return new Estimate(estimate, estimate / n);
  }
}
