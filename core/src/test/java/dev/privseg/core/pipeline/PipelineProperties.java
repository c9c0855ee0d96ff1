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
  void noRowOutsideTheRetentionLimitReachesAnyOutput(
      @ForAll @IntRange(min = 20, max = 400) int n, @ForAll long dataSeed,
      @ForAll long consentSeed, @ForAll @IntRange(min = 1, max = 4) int years) {
    java.time.Instant at = java.time.Instant.parse("2026-06-15T10:00:00Z");
    java.time.LocalDate asOf = java.time.LocalDate.of(2026, 6, 15);
    Dataset data = TestCustomers.withLastOrder(n, dataSeed, asOf);
    List<String> allowed = allowed(n, consentSeed, 80);
    java.time.LocalDate cutoff = asOf.minusYears(years);
    Set<String> expected = new HashSet<>();
    long older = 0;
    long undated = 0;
    dev.privseg.core.dataset.LongColumn dates =
        data.column("last_order", dev.privseg.core.dataset.LongColumn.class);
    Set<String> allowedSet = new HashSet<>(allowed);
    Pseudonymizer p = Pseudonymizer.hmacSha256(KEYS);
    for (int i = 0; i < n; i++) {
      if (!allowedSet.contains(TestCustomers.id(i))) {
        continue;
      }
      if (dates.isNull(i)) {
        undated++;
      } else if (java.time.LocalDate.ofEpochDay(dates.get(i)).isBefore(cutoff)) {
        older++;
      } else {
        expected.add(p.pseudonymize(SubjectId.of(TestCustomers.id(i))).value());
      }
    }
    if (expected.size() < 3) {
      return; // k-means with k=3 needs three subjects
    }

    SegmentationRun run = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(allowed))
        .minimize(m -> m.keep("age", "region", "spend")
            .retainFor("last_order", java.time.Period.ofYears(years)))
        .pseudonymize("customer_id", p)
        .segmentWith(KMeans.clusters(3).seed(1))
        .releaseProfiles(r -> r.minSegmentSize(1))
        .build().run(data, RunOptions.defaults().at(at));

    Set<String> assigned = new HashSet<>();
    for (int i = 0; i < run.assignments().size(); i++) {
      assigned.add(run.assignments().pseudonym(i));
    }
    assertThat(assigned).isEqualTo(expected);
    assertThat(run.report().counts().processedRows()).isEqualTo(expected.size());
    assertThat(run.report().counts().excludedByRetention().getOrDefault("OLDER_THAN_LIMIT", 0L))
        .isEqualTo(older);
    assertThat(run.report().counts().excludedByRetention().getOrDefault("NO_DATE", 0L))
        .isEqualTo(undated);
    assertThat(run.report().fields().used()).doesNotContain("last_order");
    assertThat(run.report().fields().retention()).isEqualTo("last_order within P" + years
        + "Y before the run, on or after 20" + (26 - years) + "-06-15T10:00:00Z");
    assertThat(run.report().guarantees()).contains("storage limitation: only rows with "
        + "last_order on or after 20" + (26 - years) + "-06-15T10:00:00Z were processed");
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

  @Property(tries = 40)
  void noFigureInAnExactProfileDescribesFewerSubjectsThanTheThreshold(
      @ForAll @IntRange(min = 30, max = 300) int n, @ForAll long dataSeed,
      @ForAll @IntRange(min = 2, max = 8) int k, @ForAll @IntRange(min = 1, max = 40) int min) {
    Dataset data = TestCustomers.generate(n, dataSeed);
    SegmentationRun run = run(data, allowed(n, dataSeed, 100), k, dataSeed, min);

    for (SegmentProfile profile : run.profiles().released()) {
      for (SegmentProfile.CategoryShares c : profile.categorical()) {
        double sum = 0;
        for (double share : c.shares().values()) {
          // A share is count / size; the count it stands for reaches the threshold.
          assertThat(Math.round(share * profile.size())).isGreaterThanOrEqualTo(min);
          sum += share;
        }
        assertThat(sum).isLessThanOrEqualTo(1 + 1e-9);
      }
      for (SegmentProfile.NumericSummary num : profile.numeric()) {
        if (num.present() < min) {
          assertThat(List.of(num.mean(), num.p25(), num.median(), num.p75()))
              .allMatch(v -> Double.isNaN(v));
        }
      }
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
