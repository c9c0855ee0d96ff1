package dev.privseg.core;

import dev.privseg.core.pipeline.SegmentationBuilder;

/**
 * Entry point: starts building a segmentation pipeline bound to one purpose.
 *
 * <pre>{@code
 * SegmentationRun run = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
 *     .lawfulBasis(LawfulBasisGate.allowList(consented))
 *     .minimize(m -> m.keep("age", "region", "spend").coarsen("age", Coarsen.bands(10)))
 *     .pseudonymize("customer_id", Pseudonymizer.hmacSha256(keys))
 *     .segmentWith(KMeans.clusters(6).seed(42))
 *     .releaseProfiles(p -> p.minSegmentSize(25))
 *     .build()
 *     .run(customers);
 * }</pre>
 */
public final class Segmentation {
  private Segmentation() {}

  /** Starts a pipeline for {@code purpose}; every stage of the run is bound to it. */
  public static SegmentationBuilder forPurpose(Purpose purpose) {
    return SegmentationBuilder.forPurpose(purpose);
  }
}
