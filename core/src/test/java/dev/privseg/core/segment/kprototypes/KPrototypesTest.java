package dev.privseg.core.segment.kprototypes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentationResult;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class KPrototypesTest {
  static final Schema SCHEMA = Schema.builder()
      .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
      .categorical("channel", PrivacyRole.OTHER, "store", "web", "app")
      .categorical("plan", PrivacyRole.OTHER, "basic", "plus")
      .build();

  /** Two groups: low spend / store / basic and high spend / app / plus, with 10 % noise. */
  static Dataset mixed(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    DatasetBuilder b = Dataset.builder(SCHEMA);
    for (int i = 0; i < n; i++) {
      boolean high = i % 2 == 1;
      b.setNumber(0, (high ? 800 : 100) + r.nextGaussian() * 40);
      b.setText(1, r.nextInt(10) == 0 ? "web" : high ? "app" : "store");
      b.setText(2, r.nextInt(10) == 0 ? (high ? "basic" : "plus") : high ? "plus" : "basic");
      b.endRow();
    }
    return b.build();
  }

  static SegmentationResult fit(KPrototypes k, Dataset d, SegmentContext c) {
    return k.fit(FeatureMatrix.encode(d, List.of("spend", "channel", "plan")), c);
  }

  @Test
  void separatesMixedGroupsWithoutOneHot() {
    Dataset d = mixed(2_000, 1);
    SegmentationResult r = fit(KPrototypes.clusters(2).seed(3), d,
        SegmentContext.of(Runnable::run, 1));

    for (int i = 2; i < 2_000; i++) {
      assertThat(r.labels()[i]).isEqualTo(r.labels()[i % 2]);
    }
    assertThat(r.converged()).isTrue();
    assertThat(r.details()).containsKey("cost");
  }

  @Test
  void sameResultWhateverTheParallelism() {
    Dataset d = mixed(40_000, 2);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      SegmentationResult serial = fit(KPrototypes.clusters(4).seed(9), d,
          SegmentContext.of(Runnable::run, 1));
      SegmentationResult parallel = fit(KPrototypes.clusters(4).seed(9), d,
          SegmentContext.of(pool, 4));
      assertThat(parallel.labels()).isEqualTo(serial.labels());
      assertThat(parallel.centroids()).isEqualTo(serial.centroids());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void parametersAreChecked() {
    assertThatThrownBy(() -> KPrototypes.clusters(2).gamma(0))
        .hasMessage("gamma must be > 0 but was 0.0");
  }
}
