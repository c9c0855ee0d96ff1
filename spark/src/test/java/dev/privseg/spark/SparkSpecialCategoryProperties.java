package dev.privseg.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.ConsentGate;
import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.SubjectId;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.minimize.Coarsen;
import dev.privseg.core.pipeline.RunOptions;
import dev.privseg.core.pipeline.SegmentationBuilder;
import dev.privseg.core.pipeline.SegmentationPipeline;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.kmeans.KMeans;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * GDPR Art. 9(2)(a) on Spark: a special-category value reaches the later stages only for a
 * subject whose explicit consent the gate vouches for, as locally: the same rows withheld (and
 * counted in the record), the same segments and profiles, a special category coarsened too; from
 * a consent ledger's snapshot (explicit consent given, ordinary consent only, explicit consent
 * withdrawn, no consent) and from an allow-list, which vouches for nobody's.
 */
class SparkSpecialCategoryProperties {
  private static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");
  static final Schema SCHEMA = Schema.builder().subjectId("id")
      .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
      .categorical("religion", PrivacyRole.SPECIAL_CATEGORY, "none", "some", "other")
      .field("health", FieldType.INTEGER, PrivacyRole.SPECIAL_CATEGORY)
      .build();
  static final StructType STRUCT = new StructType()
      .add("id", DataTypes.StringType)
      .add("spend", DataTypes.DoubleType)
      .add("religion", DataTypes.StringType)
      .add("health", DataTypes.LongType);

  @Property(tries = 2)
  void specialCategoriesAreWithheldOnSparkAsLocally(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 3) int partitions) throws Exception {
    for (boolean ledger : new boolean[] {true, false}) {
      withheldAsLocally(seed, partitions, ledger);
    }
  }

  private void withheldAsLocally(long seed, int partitions, boolean ledger) throws Exception {
    SparkSegmentationTest.Keys keys = SparkSegmentationTest.Keys.in(
        Files.createTempDirectory("privseg-special"));
    SplittableRandom r = new SplittableRandom(seed);
    int n = 1_500 + r.nextInt(1_500);
    String[] religions = {"none", "some", "other", null};
    List<Row> rows = new ArrayList<>();
    List<EventDraft> events = new ArrayList<>();
    List<String> allowed = new ArrayList<>();
    SubjectKeyer keyer = SubjectKeyer.from(keys.key());
    for (int i = 0; i < n; i++) {
      String id = "S-" + i;
      rows.add(RowFactory.create(id, r.nextDouble() * 500, religions[r.nextInt(4)],
          r.nextInt(10) == 0 ? null : (Long) (long) r.nextInt(100)));
      int kind = r.nextInt(5); // 0 explicit, 1 ordinary, 2 explicit then withdrawn, 3-4 none
      if (kind <= 2) {
        events.add(new EventDraft(keyer.key(SubjectId.of(id)), Purposes.MARKETING_SEGMENTATION
            .id(), kind == 1 ? EventType.CONSENT_GIVEN : EventType.EXPLICIT_CONSENT_GIVEN,
            AT.minusSeconds(86_400L * 10), EventSource.API, "", "web", ""));
        allowed.add(id);
      }
      if (kind == 2) {
        events.add(new EventDraft(keyer.key(SubjectId.of(id)), Purposes.MARKETING_SEGMENTATION
            .id(), EventType.CONSENT_WITHDRAWN, AT.minusSeconds(86_400L), EventSource.API, "",
            "web", ""));
        allowed.remove(id);
      }
    }
    LawfulBasisGate gate;
    if (ledger) {
      ConsentLedger l = ConsentLedger.inMemory(keyer);
      l.appendAll(events);
      gate = ConsentGate.of(l, List.of(ConsentPolicy.forPurpose(
          Purposes.MARKETING_SEGMENTATION).build()));
    } else {
      gate = LawfulBasisGate.allowList(allowed);
    }
    SegmentationBuilder builder = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(gate)
        .minimize(m -> m.keep("spend").keepSpecialCategory("religion")
            .keepSpecialCategory("health").coarsen("health", Coarsen.bands(25)))
        .pseudonymize("id", Pseudonymizer.hmacSha256(keys.key()))
        .segmentWith(KMeans.clusters(3).seed(seed))
        .releaseProfiles(p -> p.minSegmentSize(10))
        .schema(SCHEMA);
    SegmentationPipeline pipeline = builder.build();

    SegmentationRun local = pipeline.run(LocalParity.localRows(rows, SCHEMA),
        RunOptions.defaults().at(AT));
    assertThat(local.report().counts().specialCategoryWithheld())
        .as("some rows lack explicit consent").isPositive();

    try (SparkRun spark = SparkSegmentation.of(pipeline, keys.reference())
        .partitions(partitions).run(LocalSpark.session().createDataFrame(rows, STRUCT)
            .coalesce(partitions), AT)) {
      LocalParity.assertSameRun(spark, local);
    }
  }
}
