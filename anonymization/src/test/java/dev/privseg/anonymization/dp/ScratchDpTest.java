package dev.privseg.anonymization.dp;

import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.kmeans.KMeans;
import org.junit.jupiter.api.Test;

class ScratchDpTest {
  @Test
  void manySeeds() throws Exception {
    for (long dataSeed : new long[] {7, 8, 9}) {
      FeatureMatrix m = DpKMeansTest.data(100_000, dataSeed);
      double exact = Double.POSITIVE_INFINITY;
      for (long seed = 1; seed <= 3; seed++) {
        exact = Math.min(exact, KMeans.clusters(6).seed(seed).fit(m, DpKMeansTest.SERIAL).inertia());
      }
      double sum = 0;
      double worst = 0;
      for (int s = 0; s < 10; s++) {
        PrivacyAccountant budget = PrivacyAccountant.withBudget(Rational.parse("1"), Rational.ZERO);
        double r = DpKMeans.clusters(6, budget, Rational.parse("1")).seed(s)
            .random(DpKMeansTest.seeded(100 + s)).fit(m, DpKMeansTest.SERIAL).inertia() / exact;
        sum += r;
        worst = Math.max(worst, r);
      }
      System.out.println("data " + dataSeed + " mean " + sum / 10 + " worst " + worst);
    }
  }
}
