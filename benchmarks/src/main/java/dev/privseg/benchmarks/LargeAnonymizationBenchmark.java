package dev.privseg.benchmarks;

import dev.privseg.anonymization.hierarchy.Hierarchy;
import dev.privseg.anonymization.microaggregation.Mdav;
import dev.privseg.anonymization.mondrian.Mondrian;
import dev.privseg.core.anonymize.AnonymizedData;
import dev.privseg.anonymization.search.GeneralizationAnonymizer;
import dev.privseg.anonymization.search.GeneralizationResult;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.examples.SyntheticCustomers;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Optimal generalization of 1,000,000 synthetic customers on 8 quasi-identifiers (age, region,
 * postcode, signup date, tenure, orders, spend, recency), k = 10 with at most 1 % suppressed, in
 * a 1 GiB heap (the fork's -Xmx). The input is projected to the quasi-identifiers and income, as
 * the pipeline's minimize stage would. Mondrian and MDAV run on the 5 numeric quasi-identifiers
 * (MDAV on the first 100,000 rows).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class LargeAnonymizationBenchmark {
  static final List<String> FIELDS = List.of("age", "region", "postcode", "signup_date",
      "tenure_months", "orders_12m", "spend_12m", "days_since_last_order", "annual_income");

  @Param({"1000000"})
  int rows;

  Dataset customers;
  Dataset numeric;
  Dataset sample;
  GeneralizationAnonymizer k10;
  Mondrian mondrian = Mondrian.on(NUMERIC.toArray(new String[0])).k(10);
  Mdav mdav = Mdav.on(NUMERIC.toArray(new String[0])).k(3);

  /** The five numeric quasi-identifiers of the Mondrian and MDAV runs. */
  static final List<String> NUMERIC = List.of("age", "tenure_months", "orders_12m", "spend_12m",
      "days_since_last_order");

  @Setup
  public void setUp() {
    customers = SyntheticCustomers.generate(rows, 7).customers().project(FIELDS);
    numeric = customers.project(NUMERIC);
    int[] first = new int[Math.min(rows, 100_000)];
    for (int r = 0; r < first.length; r++) {
      first[r] = r;
    }
    sample = numeric.select(first);
    k10 = GeneralizationAnonymizer.builder()
        .hierarchy(Hierarchy.intervals("age", 5, 10, 20))
        .hierarchy(Hierarchy.flat("region"))
        .hierarchy(Hierarchy.masking("postcode", 5))
        .hierarchy(Hierarchy.dates("signup_date"))
        .hierarchy(Hierarchy.intervals("tenure_months", 12, 24, 48))
        .hierarchy(Hierarchy.intervals("orders_12m", 5, 10, 20))
        .hierarchy(Hierarchy.quantiles(customers.column("spend_12m"), 20, 10, 5))
        .hierarchy(Hierarchy.intervals("days_since_last_order", 30, 90, 360))
        .kAnonymity(10).suppressionLimit(0.01)
        .build();
  }

  /** Target: under 5 s in a 1 GiB heap. */
  @Benchmark
  public GeneralizationResult generalizationK10() {
    return k10.apply(customers);
  }

  /** Mondrian, k = 10, the same rows with 5 numeric quasi-identifiers. Target: under 3 s. */
  @Benchmark
  public AnonymizedData mondrianK10() {
    return mondrian.anonymize(numeric);
  }

  /** MDAV, k = 3, the first 100,000 of those rows x 5 numeric fields. Target: under 30 s. */
  @Benchmark
  public AnonymizedData mdavK3On100k() {
    return mdav.anonymize(sample);
  }
}
