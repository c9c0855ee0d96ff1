package dev.privseg.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.consent.ConsentGate;
import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.core.SubjectId;
import dev.privseg.core.minimize.Coarsen;
import dev.privseg.core.pipeline.RunOptions;
import dev.privseg.core.pipeline.RunPlan;
import dev.privseg.core.pipeline.SegmentationPipeline;
import dev.privseg.core.pipeline.SegmentationRun;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.kmeans.ChunkedFit;
import dev.privseg.core.segment.kmeans.ChunkedRows;
import dev.privseg.core.segment.kmeans.KMeans;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A pipeline's read, minimize, encode and segment stages on Spark give the local run's segments
 * to the last bit: the same row in the same segment, the same sizes and inertia, on inputs with
 * rejected rows, excluded subjects, rows past the retention limit, missing values, categories
 * first seen in rejected or excluded rows, and over several chunks and partitions; the gate is a
 * consent ledger's, decided on the executors with its key opened there.
 */
class SparkSegmentsProperties {
  private static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");
  static final Schema SCHEMA = Schema.builder()
      .subjectId("id")
      .requiredField("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("region", FieldType.CATEGORICAL, PrivacyRole.QUASI_IDENTIFIER)
      .categorical("channel", PrivacyRole.OTHER, "web", "shop", "phone")
      .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
      .field("orders", FieldType.INTEGER, PrivacyRole.OTHER)
      .field("last_order", FieldType.DATE, PrivacyRole.OTHER)
      .build();
  static final StructType STRUCT = new StructType()
      .add("id", DataTypes.StringType)
      .add("age", DataTypes.IntegerType)
      .add("region", DataTypes.StringType)
      .add("channel", DataTypes.StringType)
      .add("spend", DataTypes.DoubleType)
      .add("orders", DataTypes.LongType)
      .add("last_order", DataTypes.DateType);

  static List<Row> rows(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    String[] regions = {"r" + r.nextInt(3), "north", "south", "east", "west", "", null};
    String[] channels = {"web", "shop", "phone", "fax", null};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int group = r.nextInt(3);
      rows.add(RowFactory.create(
          "C-" + i,
          r.nextInt(40) == 0 ? null : (Integer) (20 + group * 15 + r.nextInt(15)),
          regions[r.nextInt(regions.length)],
          channels[r.nextInt(20) == 0 ? 3 : r.nextInt(channels.length)],
          r.nextInt(30) == 0 ? (Double) Double.NaN
              : r.nextInt(15) == 0 ? null : (Double) (group * 300 + r.nextDouble() * 400),
          r.nextInt(20) == 0 ? null : (Long) (long) (group * 5 + r.nextInt(6)),
          r.nextInt(12) == 0 ? null : LocalDate.of(2026, 6, 1).minusDays(r.nextInt(4 * 365))));
    }
    return rows;
  }

  @Property(tries = 6)
  void sparkSegmentsAreTheLocalRunsSegments(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int partitions) throws Exception {
    int n = ChunkedRows.CHUNK * 2 + 500 + (int) Math.floorMod(seed, 3_000L);
    List<Row> rows = rows(seed, n);
    SparkGateProperties.LedgerKey key = SparkGateProperties.LedgerKey.in(
        java.nio.file.Files.createTempDirectory("privseg-segments"));
    ConsentLedger ledger = ConsentLedger.inMemory(key.keyer());
    List<EventDraft> drafts = new ArrayList<>();
    SplittableRandom pick = new SplittableRandom(seed + 1);
    for (int i = 0; i < n; i++) {
      int kind = pick.nextInt(8);
      if (kind < 6) {
        drafts.add(new EventDraft(key.keyer().key(SubjectId.of("C-" + i)),
            Purposes.MARKETING_SEGMENTATION.id(), kind == 5 ? EventType.OBJECTION
                : EventType.CONSENT_GIVEN, AT.minusSeconds(86_400L * (1 + pick.nextInt(90))),
            EventSource.API, "", "web", ""));
      }
    }
    ledger.appendAll(drafts);
    ConsentGate gate = ConsentGate.of(ledger, List.of(
        ConsentPolicy.forPurpose(Purposes.MARKETING_SEGMENTATION).build()));
    KMeans kmeans = KMeans.clusters(4).seed(seed).maxIterations(30);
    SegmentationPipeline pipeline = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(gate)
        .minimize(m -> m.keep("age", "region", "channel", "spend", "orders", "last_order")
            .dropEverythingElse()
            .coarsen("age", Coarsen.bands(10))
            .coarsen("spend", Coarsen.topCode(900))
            .coarsen("last_order", Coarsen.toYear())
            .retainFor("last_order", Period.ofYears(3)))
        .pseudonymize("id", Pseudonymizer.hmacSha256(KeyProvider.ephemeral()))
        .segmentWith(kmeans)
        .releaseProfiles(p -> p.minSegmentSize(40))
        .build();

    DatasetBuilder b = dev.privseg.core.dataset.Dataset.builder(SCHEMA).lenient(true);
    for (Row row : rows) {
      b.addRow(s -> {
        for (int i = 0; i < SCHEMA.size(); i++) {
          s.setObject(i, row.get(i));
        }
      });
    }
    SegmentationRun local = pipeline.run(b.build(), RunOptions.defaults().at(AT));

    RunPlan plan = pipeline.plan();
    SparkInput read = new SparkInput(SCHEMA);
    Dataset<Row> tagged = read.tagged(LocalSpark.session().createDataFrame(rows, STRUCT)
        .coalesce(partitions));
    Map<String, List<String>> firstSeen = read.firstSeen(tagged, List.of("region", "channel"));
    SparkGate.Gated gated = new SparkGate(gate.snapshot(Purposes.MARKETING_SEGMENTATION, AT),
        key.reference()).run(SparkInput.acceptedInOrder(tagged, SCHEMA.names()), "id");
    assertThat(gated.excluded()).isEqualTo(local.report().counts().excludedByGate().entrySet()
        .stream().collect(java.util.stream.Collectors.toMap(
            e -> dev.privseg.core.gate.BasisDecision.valueOf(e.getKey()), Map.Entry::getValue)));
    Dataset<Row> admitted = gated.admitted();
    SparkMinimize.Minimized minimized = new SparkMinimize(plan.minimization(),
        plan.subjectField()).run(admitted, SCHEMA, AT);
    List<String> used = minimized.fields().used();
    Map<String, List<String>> dictionaries = new LinkedHashMap<>(minimized.dictionaries());
    Set<String> heldRegions = new HashSet<>();
    minimized.rows().select("region").distinct().collectAsList()
        .forEach(r -> heldRegions.add(r.getString(0)));
    List<String> regions = new ArrayList<>(firstSeen.get("region"));
    regions.retainAll(heldRegions);
    dictionaries.put("region", regions);
    dictionaries.put("channel", firstSeen.get("channel"));

    try (SparkFeatures.Encoded encoded = SparkFeatures.encode(minimized.rows(),
        minimized.schema(), used, dictionaries, partitions)) {
      SparkRows features = encoded.features();
      ChunkedFit fit = kmeans.fit(features, SegmentContext.of(Runnable::run, 1));
      assertThat(fit.inertia()).isEqualTo(local.report().segmentation().inertia());
      int[] labels = features.labels();
      assertThat(labels).hasSize(local.assignments().size());
      for (int r = 0; r < labels.length; r++) {
        assertThat(labels[r]).as("row %s", r).isEqualTo(local.assignments().segment(r));
      }
      List<Integer> sizes = new ArrayList<>();
      for (long size : fit.sizes()) {
        sizes.add((int) size);
      }
      assertThat(sizes).isEqualTo(local.report().segmentation().segmentSizes());
      assertThat(fit.iterations()).isEqualTo(local.report().segmentation().iterations());

      // The release stage: the same profiles, every figure to the last bit.
      assertThat(SparkProfiles.release(encoded, features, minimized.schema(), used,
          dictionaries, 4, plan.releasePolicy())).isEqualTo(local.profiles());
    }
  }
}
