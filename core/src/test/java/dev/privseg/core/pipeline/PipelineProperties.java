package dev.privseg.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.SubjectId;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.release.SegmentProfile;
import dev.privseg.core.segment.kmeans.KMeans;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The privacy guarantees of a run, as properties over random populations and consents. */
class PipelineProperties {
  private static final KeyProvider KEYS = KeyProvider.ephemeral();

  static List<String> allowed(int n, long consentSeed, int percent) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(consentSeed);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (r.nextInt(100) < percent) {
        ids.add(TestCustomers.id(i));
      }
    }
    return ids;
  }

  static SegmentationRun run(Dataset data, List<String> allowed, int k, long seed, int minSize) {
    return Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(allowed))
        .minimize(m -> m.keep("age", "region", "spend"))
        .pseudonymize("customer_id", Pseudonymizer.hmacSha256(KEYS))
        .segmentWith(KMeans.clusters(k).seed(seed))
        .releaseProfiles(p -> p.minSegmentSize(minSize))
        .build().run(data);
  }

  static String outputs(SegmentationRun run) throws IOException {
    StringWriter w = new StringWriter();
    run.assignments().writeCsv(w);
    run.profiles().writeCsv(w);
    w.write(run.report().toJson());
    return w.toString();
  }

  @Property(tries = 40)
  void noExcludedSubjectAppearsInAnyOutput(@ForAll @IntRange(min = 20, max = 400) int n,
      @ForAll long dataSeed, @ForAll long consentSeed,
      @ForAll @IntRange(min = 5, max = 95) int percent) throws IOException {
    Dataset data = TestCustomers.generate(n, dataSeed);
    List<String> allowed = allowed(n, consentSeed, percent);
    if (allowed.size() < 3) {
      return; // k-means with k=3 needs three subjects
    }
    SegmentationRun run = run(data, allowed, 3, 1, 5);

    Set<String> allowedSet = new HashSet<>(allowed);
    Pseudonymizer p = Pseudonymizer.hmacSha256(KEYS);
    Set<String> excludedPseudonyms = new HashSet<>();
    for (int i = 0; i < n; i++) {
      if (!allowedSet.contains(TestCustomers.id(i))) {
        excludedPseudonyms.add(p.pseudonymize(SubjectId.of(TestCustomers.id(i))).value());
      }
    }
    assertThat(run.assignments().size()).isEqualTo(allowed.size());
    for (int i = 0; i < run.assignments().size(); i++) {
      assertThat(excludedPseudonyms).doesNotContain(run.assignments().pseudonym(i));
    }
    assertThat(run.report().counts().processedRows()).isEqualTo(allowed.size());
  }

  @Property(tries = 40)
  void noRawDirectIdentifierAppearsInAnyOutput(@ForAll @IntRange(min = 10, max = 300) int n,
      @ForAll long dataSeed) throws IOException {
    Dataset data = TestCustomers.generate(n, dataSeed);
    SegmentationRun run = run(data, allowed(n, dataSeed, 100), 2, 3, 1);

    String out = outputs(run);
    for (int i = 0; i < n; i++) {
      assertThat(out).doesNotContain(TestCustomers.id(i) + ",")
          .doesNotContain(TestCustomers.id(i) + "\"")
          .doesNotContain("person" + i + "@example.org");
    }
  }

  @Property(tries = 40)
  void noReleasedProfileHasFewerMembersThanTheThreshold(
      @ForAll @IntRange(min = 30, max = 300) int n, @ForAll long dataSeed,
      @ForAll @IntRange(min = 2, max = 12) int k, @ForAll @IntRange(min = 1, max = 60) int min) {
    Dataset data = TestCustomers.generate(n, dataSeed);
    SegmentationRun run = run(data, allowed(n, dataSeed, 100), k, dataSeed, min);

    int[] sizes = new int[k];
    for (int i = 0; i < run.assignments().size(); i++) {
      sizes[run.assignments().segment(i)]++;
    }
    for (SegmentProfile profile : run.profiles().released()) {
      assertThat(profile.size()).isGreaterThanOrEqualTo(min).isEqualTo(sizes[profile.segment()]);
    }
    for (int s : run.profiles().suppressedSegments()) {
      assertThat(sizes[s]).isLessThan(min);
    }
  }

  @Property(tries = 25)
  void theSameSeedGivesTheSameSegments(@ForAll @IntRange(min = 20, max = 400) int n,
      @ForAll long dataSeed, @ForAll @LongRange(min = 0, max = 1000) long seed,
      @ForAll @IntRange(min = 2, max = 6) int k) throws IOException {
    Dataset data = TestCustomers.generate(n, dataSeed);
    List<String> allowed = allowed(n, dataSeed, 100);

    SegmentationRun a = run(data, allowed, k, seed, 1);
    SegmentationRun b = run(data, allowed, k, seed, 1);

    StringWriter wa = new StringWriter();
    StringWriter wb = new StringWriter();
    a.assignments().writeCsv(wa);
    b.assignments().writeCsv(wb);
    assertThat(wa.toString()).isEqualTo(wb.toString());
    assertThat(a.profiles()).isEqualTo(b.profiles());
  }
}
