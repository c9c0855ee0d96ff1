package dev.privseg.anonymization.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.CategoricalColumn;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.NumberColumn;
import dev.privseg.core.release.Profiles;
import dev.privseg.core.release.ReleasePolicy;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import dev.privseg.core.segment.SegmentationResult;
import dev.privseg.core.segment.kmeans.ChunkedFit;
import dev.privseg.core.testing.SerializingChunks;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * DP k-means and DP profiles on rows an engine holds elsewhere, in parts: the parts counted
 * apart (every step, chunk and result serialized, as to an executor and back, in a shuffled
 * order) give the fit and the release of the same rows in one JVM, with the same random source,
 * to the last bit.
 */
class DpCountedElsewhereProperties {
  static final Schema PROFILED = Schema.builder()
      .field("spend", FieldType.NUMERIC, PrivacyRole.OTHER)
      .categorical("tier", PrivacyRole.OTHER, "basic", "plus")
      .build();

  @Property(tries = 10)
  void dpKMeansOnChunksHeldElsewhereIsTheLocalFit(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 20_000) int n,
      @ForAll @IntRange(min = 1, max = 12) int iterations) throws Exception {
    Dataset data = DpKMeansTest.data(n, seed);
    SegmentationResult local = fitter(seed, iterations).fit(data, DpKMeansTest.SERIAL);

    DpKMeans elsewhere = fitter(seed, iterations);
    Schema.Builder fields = Schema.builder();
    data.columns().forEach(c -> fields.add(c.field()));
    DpKMeans.Scaling scaling = elsewhere.scaling(fields.build());
    int d = scaling.features();
    double[] x = new double[n * d];
    for (int j = 0; j < d; j++) {
      NumberColumn column = (NumberColumn) data.columns().get(j);
      for (int r = 0; r < n; r++) {
        x[r * d + j] = scaling.scale(j, column.asDouble(r));
      }
    }
    SerializingChunks rows = new SerializingChunks(x, n, d, seed);
    ChunkedFit fit = elsewhere.fit(rows, DpKMeansTest.SERIAL);

    assertThat(fit.centroids()).isEqualTo(local.centroids());
    assertThat(fit.inertia()).isEqualTo(local.inertia());
    assertThat(fit.details()).isEqualTo(local.details());
    long[] sizes = new long[fit.segments()];
    for (int r = 0; r < n; r++) {
      assertThat(rows.label(r)).as("row %s", r).isEqualTo(local.labels()[r]);
      sizes[local.labels()[r]]++;
    }
    assertThat(fit.sizes()).isEqualTo(sizes);
  }

  @Property(tries = 20)
  void dpProfilesCountedInPartsAreTheLocalRelease(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 3_000) int n,
      @ForAll @IntRange(min = 1, max = 7) int parts,
      @ForAll boolean quartiles) throws Exception {
    Dataset data = DpProfilesTest.data(n, seed);
    int k = 3;
    int[] labels = new int[n];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < n; i++) {
      labels[i] = r.nextInt(k);
    }
    ReleasePolicy policy = new ReleasePolicy.Builder().minSegmentSize(15)
        .mechanism(profiles(seed, quartiles)).build();
    Profiles local = policy.mechanism().release(data, labels, k, policy);

    DpProfiles elsewhere = profiles(seed, quartiles);
    CategoricalColumn tier = (CategoricalColumn) data.column("tier");
    List<String> dictionary = new ArrayList<>();
    for (int code = 0; code < tier.cardinality(); code++) {
      dictionary.add(tier.label(code));
    }
    DpProfiles.Counts total = elsewhere.counts(PROFILED, Map.of("tier", dictionary), k);
    NumberColumn spend = (NumberColumn) data.column("spend");
    List<DpProfiles.Counts> counted = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      DpProfiles.Counts part = SerializingChunks.roundTrip(total.part());
      for (int i = p; i < n; i += parts) {
        part.member(labels[i]);
        if (!spend.isNull(i)) {
          part.number(0, labels[i], spend.asDouble(i));
        }
        part.category(0, labels[i], tier.code(i));
      }
      counted.add(SerializingChunks.roundTrip(part));
    }
    Collections.shuffle(counted, new Random(seed));
    counted.forEach(total::add);

    assertThat(elsewhere.release(total, policy)).isEqualTo(local);
  }

  @Test
  void countsRefuseWhatTheReleaseWouldRefuse() {
    DpProfiles mechanism = DpProfiles.spending(PrivacyAccountant.withBudget(Rational.parse("1"),
        Rational.ZERO), Rational.parse("1/2")).build();
    assertThatThrownBy(() -> mechanism.counts(PROFILED, Map.of("tier", List.of("basic",
        "plus")), 2))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("'spend'");
    DpProfiles bounded = DpProfiles.spending(PrivacyAccountant.withBudget(Rational.parse("1"),
        Rational.ZERO), Rational.parse("1/2")).bounds("spend", 0, 10).build();
    Schema open = Schema.builder().field("city", FieldType.CATEGORICAL, PrivacyRole.OTHER)
        .build();
    assertThatThrownBy(() -> bounded.counts(open, Map.of("city", List.of("x")), 2))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("'city'");

    DpProfiles.Counts two = bounded.counts(PROFILED, Map.of("tier", List.of("basic", "plus")),
        2);
    DpProfiles.Counts three = bounded.counts(PROFILED, Map.of("tier", List.of("basic",
        "plus")), 3);
    assertThatThrownBy(() -> two.add(three)).isInstanceOf(ConfigurationException.class);
    ReleasePolicy policy = new ReleasePolicy.Builder().mechanism(bounded).build();
    assertThatThrownBy(() -> mechanism.release(two, policy))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("another mechanism");
  }

  private static DpKMeans fitter(long seed, int iterations) throws Exception {
    return DpKMeansTest.bounded(DpKMeans.clusters(4, PrivacyAccountant.withBudget(
        Rational.parse("10"), Rational.ZERO), Rational.parse("2")))
        .iterations(iterations).seed(seed).random(seeded(seed));
  }

  private static DpProfiles profiles(long seed, boolean quartiles) throws Exception {
    DpProfiles.Builder b = DpProfiles.spending(PrivacyAccountant.withBudget(
        Rational.parse("10"), Rational.ZERO), Rational.parse("1"))
        .bounds("spend", 0, 1_000).random(seeded(seed));
    if (quartiles) {
      b.quartiles(20);
    }
    return b.build();
  }

  /** Repeats for {@code seed}, 0 included (which {@code setSeed(long)} ignores). */
  private static SecureRandom seeded(long seed) throws Exception {
    SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
    r.setSeed(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
    return r;
  }
}
