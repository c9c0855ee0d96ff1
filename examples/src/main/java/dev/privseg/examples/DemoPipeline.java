package dev.privseg.examples;

import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.minimize.Coarsen;
import dev.privseg.core.pipeline.SegmentationPipeline;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.segment.kmeans.KMeans;
import java.util.Collection;

/**
 * The pipeline the {@code privseg demo} command runs over {@link SyntheticCustomers}: the example
 * to copy when wiring privseg into a CRM.
 */
public final class DemoPipeline {
  private DemoPipeline() {}

  /**
   * Marketing segmentation of consenting customers on behaviour, age band, region and channel;
   * e-mail, postcode, income and signup date are never used; ids leave as HMAC pseudonyms.
   */
  public static SegmentationPipeline build(Collection<String> consentedSubjects, KeyProvider keys,
      int clusters, long seed, int minSegmentSize) {
    return Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(consentedSubjects))
        .minimize(m -> m
            .keep("age", "region", "tenure_months", "orders_12m", "spend_12m",
                "days_since_last_order", "preferred_channel")
            .dropEverythingElse()
            .coarsen("age", Coarsen.bands(18, 25, 35, 45, 55, 65))
            .coarsen("spend_12m", Coarsen.topCode(10_000)))
        .pseudonymize("customer_id", Pseudonymizer.hmacSha256(keys))
        .segmentWith(KMeans.clusters(clusters).seed(seed))
        .releaseProfiles(p -> p.minSegmentSize(minSegmentSize))
        .build();
  }
}
