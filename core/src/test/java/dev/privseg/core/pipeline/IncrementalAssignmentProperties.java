package dev.privseg.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.segment.FeatureEncoding;
import dev.privseg.core.segment.FeatureMatrix;
import dev.privseg.core.segment.SavedSegments;
import dev.privseg.core.segment.SegmentContext;
import dev.privseg.core.segment.SegmentModel;
import dev.privseg.core.segment.SegmentationResult;
import dev.privseg.core.segment.kmeans.KMeans;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Incremental assignment's guarantees over random customers and saved runs: a row's segment is
 * its nearest saved centroid in the saved run's feature space, it depends on that row alone
 * (neighbouring inputs, through the whole pipeline, leave every other subject's segment as it
 * was), and a model survives its JSON form.
 */
class IncrementalAssignmentProperties {
  private static final KeyProvider KEYS = KeyProvider.ephemeral();

  /** A saved model of a k-means run over {@code n} customers. */
  static SegmentModel savedModel(int n, long seed, int k) {
    Dataset data = TestCustomers.generate(n, seed);
    SegmentationRun run = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(ids(n)))
        .minimize(m -> m.keep("age", "region", "spend"))
        .pseudonymize("customer_id", Pseudonymizer.hmacSha256(KEYS))
        .segmentWith(KMeans.clusters(k).seed(seed))
        .releaseProfiles(p -> p.minSegmentSize(1))
        .build().run(data);
    return run.model().orElseThrow();
  }

  static List<String> ids(int n) {
    return IntStream.range(0, n).mapToObj(TestCustomers::id).toList();
  }

  static SegmentationRun assign(SegmentModel model, Dataset data, List<String> allowed) {
    return Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(allowed))
        .minimize(m -> m.keep("age", "region", "spend"))
        .pseudonymize("customer_id", Pseudonymizer.hmacSha256(KEYS))
        .assignTo(model)
        .releaseProfiles(p -> p.minSegmentSize(1))
        .build().run(data);
  }

  static Map<String, Integer> segments(SegmentationRun run) {
    Map<String, Integer> out = new HashMap<>();
    for (int i = 0; i < run.assignments().size(); i++) {
      out.put(run.assignments().pseudonym(i), run.assignments().segment(i));
    }
    return out;
  }

  @Property(tries = 60)
  void eachRowGoesToANearestSavedCentroid(@ForAll @IntRange(min = 10, max = 200) int n,
      @ForAll long seed, @ForAll @IntRange(min = 2, max = 5) int k,
      @ForAll @IntRange(min = 1, max = 200) int newRows) {
    SegmentModel model = savedModel(n, seed, k);
    Dataset fresh = TestCustomers.generate(newRows, seed ^ 0x5DEECE66DL);
    FeatureMatrix encoded = model.encoding().encode(fresh);
    SegmentationResult result = SavedSegments.of(model).fit(
        FeatureMatrix.encode(fresh, List.of("spend")).withValues(fresh), SegmentContext.of(Runnable::run, 1));
    double[] x = encoded.data();
    double[] c = model.centroids();
    int d = model.features();
    for (int r = 0; r < newRows; r++) {
      double own = distance(x, r, c, result.labels()[r], d);
      for (int other = 0; other < k; other++) {
        double to = distance(x, r, c, other, d);
        assertThat(own).isLessThanOrEqualTo(to);
        if (to == own) {
          assertThat(result.labels()[r]).isLessThanOrEqualTo(other); // ties to the lower one
        }
      }
    }
  }

  private static double distance(double[] x, int r, double[] c, int segment, int d) {
    double s = 0;
    for (int j = 0; j < d; j++) {
      double diff = x[r * d + j] - c[segment * d + j];
      s += diff * diff;
    }
    return s;
  }

  @Property(tries = 40)
  void aRowsFeaturesUnderASavedEncodingDependOnThatRowAlone(
      @ForAll @IntRange(min = 10, max = 120) int n, @ForAll long seed,
      @ForAll @IntRange(min = 2, max = 80) int newRows) {
    FeatureEncoding encoding = savedModel(n, seed, 3).encoding();
    Dataset fresh = TestCustomers.generate(newRows, ~seed);
    double[] all = encoding.encode(fresh).data();
    int d = encoding.featureNames().size();
    for (int r = 0; r < newRows; r++) {
      double[] alone = encoding.encode(fresh.select(new int[] {r})).data();
      for (int j = 0; j < d; j++) {
        assertThat(alone[j]).isEqualTo(all[r * d + j]);
      }
    }
  }

  /**
   * Neighbouring inputs through the whole pipeline: removing one subject's row (or withholding
   * its consent) changes no other subject's segment, and the removed subject has none.
   */
  @Property(tries = 40)
  void neighbouringInputsLeaveEveryOtherSubjectsSegment(
      @ForAll @IntRange(min = 10, max = 150) int n, @ForAll long seed,
      @ForAll @IntRange(min = 2, max = 150) int newRows, @ForAll int removedPick,
      @ForAll boolean byConsent) {
    SegmentModel model = savedModel(n, seed, 3);
    Dataset fresh = TestCustomers.generate(newRows, seed * 31 + 7);
    List<String> everyone = ids(newRows);
    int removed = Math.floorMod(removedPick, newRows);
    Map<String, Integer> full = segments(assign(model, fresh, everyone));

    int[] others = IntStream.range(0, newRows).filter(i -> i != removed).toArray();
    SegmentationRun neighbour = byConsent
        ? assign(model, fresh, everyone.stream().filter(id -> !id.equals(everyone.get(removed)))
            .toList())
        : assign(model, fresh.select(others), everyone);
    Map<String, Integer> without = segments(neighbour);

    String removedPseudonym = Pseudonymizer.hmacSha256(KEYS)
        .pseudonymize(dev.privseg.core.SubjectId.of(everyone.get(removed))).value();
    Map<String, Integer> expected = new HashMap<>(full);
    expected.remove(removedPseudonym);
    assertThat(without).isEqualTo(expected);
  }

  @Property(tries = 30)
  void aModelSurvivesItsJsonForm(@ForAll @IntRange(min = 10, max = 100) int n,
      @ForAll long seed, @ForAll @IntRange(min = 2, max = 6) int k) {
    SegmentModel model = savedModel(n, seed, k);
    assertThat(SegmentModel.fromJson(model.toJson())).isEqualTo(model);
  }

  /** Rows of a converged run, assigned again, get the segments the run gave them. */
  @Property(tries = 30)
  void aConvergedRunsOwnRowsGetTheirSegmentsBack(@ForAll @IntRange(min = 30, max = 300) int n,
      @ForAll long seed) {
    Dataset data = separated(n, seed);
    SegmentationRun run = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(ids(n)))
        .minimize(m -> m.keep("age", "region", "spend"))
        .pseudonymize("customer_id", Pseudonymizer.hmacSha256(KEYS))
        .segmentWith(KMeans.clusters(3).seed(seed).tolerance(0).maxIterations(300))
        .releaseProfiles(p -> p.minSegmentSize(1))
        .build().run(data);
    if (!run.report().segmentation().converged()) {
      return;
    }
    SegmentationRun again = assign(run.model().orElseThrow(), data, ids(n));
    assertThat(segments(again)).isEqualTo(segments(run));
  }

  /** Three well-separated groups of customers. */
  private static Dataset separated(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    dev.privseg.core.dataset.DatasetBuilder b = Dataset.builder(TestCustomers.SCHEMA);
    String[] regions = {"north", "south", "east", "west"};
    for (int i = 0; i < n; i++) {
      int group = i % 3;
      b.setText(0, TestCustomers.id(i));
      b.setText(1, "person" + i + "@example.org");
      b.setNumber(2, 20 + group * 30 + r.nextInt(5));
      b.setText(3, regions[group]);
      b.setNumber(4, group * 5_000 + r.nextDouble() * 50);
      b.setNumber(5, group);
      b.setText(6, "group-a");
      b.endRow();
    }
    return b.build();
  }
}
