package dev.privseg.core.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.kmeans.KMeans;
import dev.privseg.core.segment.kmeans.KSelection;
import dev.privseg.core.segment.rfm.Rfm;
import dev.privseg.core.segment.rules.RuleSegments;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Every segmenter assigns every row exactly once, and the same seed gives the same result. */
class SegmenterProperties {
  static final Schema SCHEMA = Schema.builder()
      .field("recency", FieldType.INTEGER, PrivacyRole.OTHER)
      .field("frequency", FieldType.INTEGER, PrivacyRole.OTHER)
      .field("monetary", FieldType.NUMERIC, PrivacyRole.OTHER)
      .build();

  static Dataset data(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    DatasetBuilder b = Dataset.builder(SCHEMA);
    for (int i = 0; i < n; i++) {
      b.setNumber(0, r.nextInt(365));
      b.setNumber(1, 1 + r.nextInt(20));
      b.setNumber(2, r.nextInt(10_000) / 10.0);
      b.endRow();
    }
    return b.build();
  }

  static List<Segmenter> segmenters(long seed) {
    return List.of(
        KMeans.clusters(3).seed(seed),
        KMeans.clusters(3).seed(seed).maxIterations(20).miniBatch(32),
        KMeans.clusters(2).seed(seed).chooseK(2, 5, KSelection.Criterion.SILHOUETTE),
        KMeans.clusters(2).seed(seed).chooseK(2, 5, KSelection.Criterion.ELBOW),
        dev.privseg.core.segment.gmm.GaussianMixture.components(3).seed(seed).maxIterations(20),
        dev.privseg.core.segment.kprototypes.KPrototypes.clusters(3).seed(seed),
        Rfm.scores("recency", "frequency", "monetary").withStandardSegments(),
        RuleSegments.first("frequent", "frequency >= 10").then("recent", "recency < 30")
            .otherwise("rest"));
  }

  @Property(tries = 40)
  void everyRowExactlyOnceAndTheSameSeedTheSameResult(
      @ForAll @IntRange(min = 10, max = 500) int n, @ForAll long seed) {
    Dataset d = data(n, seed);
    FeatureMatrix m = FeatureMatrix.encode(d, List.of("recency", "frequency", "monetary"));
    SegmentContext context = SegmentContext.of(Runnable::run, 1);
    List<Segmenter> first = segmenters(seed);
    List<Segmenter> second = segmenters(seed);
    for (int i = 0; i < first.size(); i++) {
      SegmentationResult a = first.get(i).fit(m, context);
      SegmentationResult b = second.get(i).fit(m, context);
      assertThat(a.labels()).as(first.get(i).description()).hasSize(n);
      for (int label : a.labels()) {
        assertThat(label).isBetween(0, a.segments() - 1);
      }
      assertThat(java.util.Arrays.stream(a.sizes()).sum()).isEqualTo(n);
      assertThat(b.labels()).as(first.get(i).description()).isEqualTo(a.labels());
    }
  }
}
