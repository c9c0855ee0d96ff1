package dev.privseg.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.ConfigurationException;
import dev.privseg.core.Purposes;
import dev.privseg.core.Segmentation;
import dev.privseg.core.SubjectId;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.DatasetBuilder;
import dev.privseg.core.gate.LawfulBasisGate;
import dev.privseg.core.minimize.Coarsen;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonym;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import dev.privseg.core.release.SegmentProfile;
import dev.privseg.core.report.ProcessingRecord;
import dev.privseg.core.segment.kmeans.KMeans;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PipelineTest {
  static final KeyProvider KEYS = KeyProvider.ephemeral();

  static List<String> allowedEveryOther(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i += 2) {
      ids.add(TestCustomers.id(i));
    }
    return ids;
  }

  /**
   * The test pipeline's builder, every option set but those named in {@code without}, which the
   * test sets itself (an option is set once).
   */
  static SegmentationBuilder builder(List<String> allowed, String... without) {
    java.util.Set<String> skip = java.util.Set.of(without);
    SegmentationBuilder b = Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(allowed));
    if (!skip.contains("minimize")) {
      b.minimize(m -> m.keep("age", "region", "spend", "orders").dropEverythingElse()
          .coarsen("age", Coarsen.bands(10)));
    }
    if (!skip.contains("pseudonymize")) {
      b.pseudonymize("customer_id", Pseudonymizer.hmacSha256(KEYS));
    }
    if (!skip.contains("segmentWith")) {
      b.segmentWith(KMeans.clusters(3).seed(42));
    }
    if (!skip.contains("releaseProfiles")) {
      b.releaseProfiles(p -> p.minSegmentSize(20));
    }
    return b;
  }

  @Test
  void everyOptionIsSetOnceASecondCallIsRefusedNamingIt() {
    for (var second : List.<java.util.function.UnaryOperator<SegmentationBuilder>>of(
        b -> b.lawfulBasis(LawfulBasisGate.allowList(List.of())),
        b -> b.minimize(m -> m.keep("age")),
        b -> b.pseudonymize("customer_id", Pseudonymizer.hmacSha256(KEYS)),
        b -> b.segmentWith(KMeans.clusters(2)),
        b -> b.releaseProfiles(p -> p.minSegmentSize(5)))) {
      assertThatThrownBy(() -> second.apply(builder(List.of())))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("(...) is already set on this builder");
    }
    SegmentationBuilder b = builder(List.of()).stability(2);
    assertThatThrownBy(() -> b.stability(3)).hasMessageStartingWith("stability(...) is already "
        + "set");
    assertThatThrownBy(() -> builder(List.of()).minimize(
        dev.privseg.core.minimize.MinimizationRules.class.cast(null)))
        .hasMessageStartingWith("minimize(...) is already set");
  }

  @Test
  void aRunTheGateLetsNobodyThroughSaysSoWithTheCounts() {
    Dataset customers = TestCustomers.generate(100, 1);

    assertThatThrownBy(() -> builder(List.of("not-a-customer")).build().run(customers))
        .isInstanceOf(dev.privseg.core.gate.NoSubjectAllowedException.class)
        .hasMessage("no subject may be processed for purpose 'marketing-segmentation': the "
            + "lawful-basis gate allowed none of the 100 input rows ({NO_BASIS=100}); the gate: "
            + "allow-list of 1 subjects supplied by the host")
        .satisfies(e -> assertThat(((dev.privseg.core.gate.NoSubjectAllowedException) e)
            .excluded()).containsExactly(java.util.Map.entry(
                dev.privseg.core.gate.BasisDecision.NO_BASIS, 100L)));
    assertThatThrownBy(() -> builder(List.of()).build().run(customers.select(new int[0])))
        .hasMessage("the input has no rows: there is nothing to segment");
  }

  @Test
  void runsEveryStageAndRecordsWhatItDid() {
    Dataset customers = TestCustomers.generate(1_000, 1);

    SegmentationRun run = builder(allowedEveryOther(1_000)).build().run(customers);

    assertThat(run.assignments().size()).isEqualTo(500);
    ProcessingRecord r = run.report();
    assertThat(r.format()).isEqualTo(ProcessingRecord.FORMAT);
    assertThat(r.purpose().id()).isEqualTo("marketing-segmentation");
    assertThat(r.purpose().lawfulBasis()).isEqualTo("CONSENT");
    assertThat(r.counts().inputRows()).isEqualTo(1_000);
    assertThat(r.counts().excludedByGate()).containsExactly(java.util.Map.entry("NO_BASIS", 500L));
    assertThat(r.counts().processedRows()).isEqualTo(500);
    assertThat(r.fields().used()).containsExactly("age", "region", "spend", "orders");
    assertThat(r.fields().dropped()).containsExactly("email", "ethnicity");
    assertThat(r.fields().coarsened()).containsEntry("age", "bands of width 10");
    assertThat(r.pseudonymization()).isEqualTo(new ProcessingRecord.Pseudonymization(
        "customer_id", "HMAC-SHA256", "ephemeral"));
    assertThat(r.segmentation().algorithm()).isEqualTo("k-means");
    assertThat(r.segmentation().parameters()).containsEntry("k", 3).containsEntry("seed", 42L);
    assertThat(r.segmentation().segmentSizes().stream().mapToInt(Integer::intValue).sum())
        .isEqualTo(500);
    assertThat(r.segmentation().silhouette()).isBetween(0.3, 1.0);
    assertThat(r.stageMillis()).containsKeys("LAWFUL_BASIS", "MINIMIZE", "PSEUDONYMIZE",
        "SEGMENT", "RELEASE");
    assertThat(r.guarantees()).anyMatch(g -> g.contains("fewer than 20 subjects"));
  }

  @Test
  void assignmentsAreKeyedByPseudonymsOfAllowedSubjectsOnly() {
    Dataset customers = TestCustomers.generate(200, 2);
    List<String> allowed = allowedEveryOther(200);
    Pseudonymizer p = Pseudonymizer.hmacSha256(KEYS);
    Set<String> expected = new HashSet<>();
    for (String id : allowed) {
      expected.add(p.pseudonymize(SubjectId.of(id)).value());
    }

    SegmentationRun run = builder(allowed).build().run(customers);

    Set<String> actual = new HashSet<>();
    for (int i = 0; i < run.assignments().size(); i++) {
      actual.add(run.assignments().pseudonym(i));
    }
    assertThat(actual).isEqualTo(expected);
  }

  /**
   * A pseudonymizer whose run sessions answer only lists, through {@code all}, and that fails if
   * asked singly.
   */
  static Pseudonymizer onlyInBlocks(String method,
      java.util.function.Function<List<SubjectId>, List<Pseudonym>> all) {
    return new Pseudonymizer() {
      @Override
      public Pseudonym pseudonymize(SubjectId subject) {
        throw new AssertionError("asked one by one");
      }

      @Override
      public dev.privseg.core.pseudonymize.PseudonymSession forRun(int subjects) {
        return all::apply;
      }

      @Override
      public String description() {
        return method;
      }

      @Override
      public String keyId() {
        return "test";
      }
    };
  }

  @Test
  void pseudonymsAreAskedForInBlocksSoAStoreCanAnswerABlockAtATime() {
    Dataset customers = TestCustomers.generate(10_000, 4);
    List<Integer> blocks = new CopyOnWriteArrayList<>();
    Pseudonymizer hmac = Pseudonymizer.hmacSha256(KEYS);
    Pseudonymizer bulk = onlyInBlocks("HMAC-SHA256 in blocks", subjects -> {
      blocks.add(subjects.size());
      return hmac.forRun(subjects.size()).pseudonymizeAll(subjects);
    });
    List<String> allowed = allowedEveryOther(10_000);

    SegmentationRun run = builder(allowed, "pseudonymize").pseudonymize("customer_id", bulk).build()
        .run(customers);

    assertThat(blocks).containsExactly(4096, 904);
    Set<String> expected = new HashSet<>();
    allowed.forEach(id -> expected.add(hmac.pseudonymize(SubjectId.of(id)).value()));
    Set<String> actual = new HashSet<>();
    for (int i = 0; i < run.assignments().size(); i++) {
      actual.add(run.assignments().pseudonym(i));
    }
    assertThat(actual).isEqualTo(expected);
    assertThat(run.report().pseudonymization().method()).isEqualTo("HMAC-SHA256 in blocks");
  }

  @Test
  void aRunAsksItsPseudonymizerOnceForOneScopedToItsSize() {
    Pseudonymizer hmac = Pseudonymizer.hmacSha256(KEYS);
    List<Integer> asked = new CopyOnWriteArrayList<>();
    Pseudonymizer outer = new Pseudonymizer() {
      @Override
      public Pseudonym pseudonymize(SubjectId subject) {
        throw new AssertionError("the run should use the scoped pseudonymizer");
      }

      @Override
      public dev.privseg.core.pseudonymize.PseudonymSession forRun(int subjects) {
        asked.add(subjects);
        return hmac.forRun(subjects);
      }

      @Override
      public String description() {
        return "outer";
      }

      @Override
      public String keyId() {
        return "test";
      }
    };

    SegmentationRun run = builder(allowedEveryOther(10_000), "pseudonymize")
        .pseudonymize("customer_id", outer)
        .build().run(TestCustomers.generate(10_000, 7));

    assertThat(asked).containsExactly(5_000);
    assertThat(run.assignments().size()).isEqualTo(5_000);
    assertThat(run.report().pseudonymization().method()).isEqualTo("outer");
  }

  @Test
  void aPseudonymizerThatLosesSubjectsInABlockStopsTheRun() {
    Pseudonymizer lossy = onlyInBlocks("lossy", subjects -> List.of());

    assertThatThrownBy(() -> builder(allowedEveryOther(100), "pseudonymize")
        .pseudonymize("customer_id", lossy)
        .build().run(TestCustomers.generate(100, 5)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("returned 0 pseudonyms for 50 subjects");
  }

  @Test
  void aSubjectOnTwoRowsStopsTheRunNamingTheRowsNotTheId() {
    Dataset customers = TestCustomers.generate(100, 6);
    int[] rows = IntStream.concat(IntStream.range(0, 100), IntStream.of(40, 41)).toArray();
    Dataset twice = customers.select(rows); // customers 40 and 41 again, on rows 101 and 102

    assertThatThrownBy(() -> builder(allowedEveryOther(100)).build().run(twice))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("rows 41 and 101 have the same subject id in field 'customer_id': a run's "
            + "input needs one row per subject (aggregate transactions first, e.g. with "
            + "RfmAggregation)");
    assertThat(builder(allowedEveryOther(100)).build().run(customers.select(
        IntStream.concat(IntStream.range(0, 100), IntStream.of(41)).toArray()))
        .assignments().size()).as("a subject without a basis may repeat: it reaches no output")
        .isEqualTo(50);
  }

  @Test
  void profilesDescribeCoarsenedFieldsAndSuppressSmallSegments() {
    Dataset customers = TestCustomers.generate(600, 3);
    SegmentationRun run = builder(allowedEveryOther(600), "segmentWith", "releaseProfiles")
        .segmentWith(KMeans.clusters(12).seed(1))
        .releaseProfiles(p -> p.minSegmentSize(40)).build().run(customers);

    for (SegmentProfile profile : run.profiles().released()) {
      assertThat(profile.size()).isGreaterThanOrEqualTo(40);
      assertThat(profile.numeric()).extracting(SegmentProfile.NumericSummary::field)
          .containsExactly("spend", "orders");
      assertThat(profile.categorical()).extracting(SegmentProfile.CategoryShares::field)
          .containsExactly("age", "region");
      assertThat(profile.categorical().get(1).shares().values().stream()
          .mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0,
              org.assertj.core.api.Assertions.within(1e-9));
    }
    assertThat(run.profiles().released().size() + run.profiles().suppressedSegments().size())
        .isEqualTo(12);
    assertThat(run.report().release().suppressedProfiles())
        .isEqualTo(run.profiles().suppressedSegments().size());
  }

  @Test
  void buildRefusesAPipelineWithoutAMandatoryStage() {
    assertThatThrownBy(() -> Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("lawfulBasis(...) is required");
    assertThatThrownBy(() -> Segmentation.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .lawfulBasis(LawfulBasisGate.allowList(List.of())).build())
        .hasMessageContaining("minimize(...) is required");
    assertThatThrownBy(() -> builder(List.of(), "minimize")
        .minimize(m -> m.keep("customer_id")).build())
        .hasMessageContaining("'customer_id' is pseudonymized and cannot also be kept raw");
  }

  @Test
  void keptDirectIdentifiersAndSpecialCategoriesAreRefusedAtRun() {
    Dataset customers = TestCustomers.generate(50, 4);
    assertThatThrownBy(() -> builder(allowedEveryOther(50), "minimize")
        .minimize(m -> m.keep("email", "age"))
        .build().run(customers))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'email' is a direct identifier");
    assertThatThrownBy(() -> builder(allowedEveryOther(50), "minimize")
        .minimize(m -> m.keep("ethnicity", "age")).build().run(customers))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("GDPR Art. 9");
    assertThatThrownBy(() -> builder(allowedEveryOther(50), "minimize")
        .minimize(m -> m.keep("income"))
        .build().run(customers))
        .hasMessageContaining("kept field 'income' is not in the input schema");
  }

  @Test
  void specialCategoriesAreWithheldUnlessTheGateVouchesForExplicitConsent() {
    Dataset customers = TestCustomers.generate(300, 9);
    SegmentationRun run = builder(allowedEveryOther(300), "minimize")
        .minimize(m -> m.keep("age", "spend").keepSpecialCategory("ethnicity"))
        .build().run(customers);

    // The allow-list gate cannot vouch for explicit consent: every value is withheld.
    assertThat(run.report().counts().specialCategoryWithheld()).isEqualTo(150);
    assertThat(run.report().fields().specialCategories()).containsExactly("ethnicity");
    for (SegmentProfile p : run.profiles().released()) {
      assertThat(p.categorical()).filteredOn(c -> c.field().equals("ethnicity"))
          .allSatisfy(c -> assertThat(c.shares()).containsOnlyKeys("(missing)"));
    }
    assertThat(run.report().guarantees()).anyMatch(g -> g.contains("withheld for 150"));
    assertThatThrownBy(() -> builder(allowedEveryOther(300), "minimize")
        .minimize(m -> m.keepSpecialCategory("spend")).build().run(customers))
        .hasMessageContaining("field 'spend' is kept as a special category but its role is OTHER");
  }

  @Test
  void rowsWithoutAUsableIdentifierHaveNoBasis() {
    DatasetBuilder b = Dataset.builder(TestCustomers.SCHEMA).lenient(true);
    String[] ids = {"A", "   ", "B", "C"};
    for (String id : ids) {
      b.setText(0, id);
      b.setNumber(2, 30);
      b.setNumber(4, 10);
      b.setNumber(5, 1);
      b.endRow();
    }
    SegmentationRun run = builder(List.of("A",
            "B", "C"), "minimize", "segmentWith", "releaseProfiles")
        .minimize(m -> m.keep("age", "spend", "orders"))
        .segmentWith(KMeans.clusters(2).seed(1)).releaseProfiles(p -> p.minSegmentSize(1))
        .build().run(b.build());
    assertThat(run.report().counts().excludedByGate()).containsEntry("NO_BASIS", 1L);
    assertThat(run.assignments().size()).isEqualTo(3);
  }

  @Test
  void stabilityAcrossSeedsIsRecordedWhenAskedFor() {
    Dataset customers = TestCustomers.generate(600, 11);
    // On spend and orders the three customer groups are well separated: every seed finds them.
    SegmentationRun measured = builder(allowedEveryOther(600), "minimize")
        .minimize(m -> m.keep("spend", "orders")).stability(2).build().run(customers);
    SegmentationRun unmeasured = builder(allowedEveryOther(600)).build().run(customers);

    assertThat(measured.report().segmentation().stabilityRuns()).isEqualTo(2);
    assertThat(measured.report().segmentation().stability()).isBetween(0.95, 1.0);
    assertThat(unmeasured.report().segmentation().stability()).isNull();
    assertThat(unmeasured.report().toJson()).contains("\"stability\" : null");
  }

  @Test
  void stabilityOfASegmenterThatReadsCategoriesRefitsOnTheSameRows() {
    // k-prototypes needs the rows' categories, not only the encoded matrix: its refits with
    // other seeds must get the dataset too (they once got only the matrix and failed).
    SegmentationRun run = builder(allowedEveryOther(600), "minimize", "segmentWith")
        .minimize(m -> m.keep("spend", "orders", "region"))
        .segmentWith(dev.privseg.core.segment.kprototypes.KPrototypes.clusters(3).seed(5))
        .stability(2).build().run(TestCustomers.generate(600, 11));

    assertThat(run.report().segmentation().stabilityRuns()).isEqualTo(2);
    assertThat(run.report().segmentation().stability()).isBetween(0.5, 1.0);
  }

  @Test
  void stabilityOfASegmenterWithoutSeedsIsRefusedAtBuild() {
    assertThatThrownBy(() -> builder(allowedEveryOther(600), "minimize", "segmentWith")
        .minimize(m -> m.keep("spend", "orders"))
        .segmentWith(dev.privseg.core.segment.rules.RuleSegments.first("big", "spend > 1000")
            .otherwise("rest"))
        .stability(2).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("stability(2) refits with other seeds, but rule-based segments, first match "
            + "wins has no seed to vary: its segments are the same on every fit");
  }

  @Test
  void aChosenKIsExplainedInTheRecord() {
    SegmentationRun run = builder(allowedEveryOther(600), "minimize", "segmentWith")
        .minimize(m -> m.keep("spend", "orders"))
        .segmentWith(KMeans.clusters(2).seed(3).chooseK(2, 6,
            dev.privseg.core.segment.kmeans.KSelection.Criterion.SILHOUETTE))
        .build().run(TestCustomers.generate(600, 12));

    assertThat(run.report().segmentation().algorithm()).isEqualTo("k-means, k chosen by silhouette");
    assertThat(run.report().segmentation().details()).containsEntry("chosenK", 3);
    assertThat(run.report().segmentation().segments()).isEqualTo(3);
    assertThat(run.report().toJson()).contains("\"silhouetteByK\"");
  }

  @Test
  void listenerSeesEveryStageInOrder() {
    List<String> events = new CopyOnWriteArrayList<>();
    RunListener listener = new RunListener() {
      @Override
      public void stageStarted(Stage stage) {
        events.add("start " + stage);
      }

      @Override
      public void stageFinished(Stage stage, Duration elapsed) {
        events.add("end " + stage);
      }
    };

    builder(allowedEveryOther(100)).build().run(TestCustomers.generate(100, 5),
        RunOptions.defaults().withListener(listener));

    List<String> expected = new ArrayList<>();
    for (Stage s : Stage.values()) {
      if (s == Stage.ANONYMIZE) {
        continue; // only runs when an anonymizer is configured
      }
      expected.add("start " + s);
      expected.add("end " + s);
    }
    assertThat(events).isEqualTo(expected);
  }

  @Test
  void aCancelledRunThrowsAndReleasesNothing() {
    CancellationToken token = new CancellationToken();
    RunListener cancelAtSegmentation = new RunListener() {
      @Override
      public void stageStarted(Stage stage) {
        if (stage == Stage.PSEUDONYMIZE) {
          token.cancel();
        }
      }
    };
    SegmentationPipeline pipeline = builder(allowedEveryOther(100)).build();

    assertThatThrownBy(() -> pipeline.run(TestCustomers.generate(100, 6),
        RunOptions.defaults().withListener(cancelAtSegmentation).withCancellation(token)))
        .isInstanceOf(RunCancelledException.class)
        .hasMessageContaining("PSEUDONYMIZE");
  }

  @Test
  void onePipelineRunsConcurrentlyWithIdenticalResults() throws Exception {
    SegmentationPipeline pipeline = builder(allowedEveryOther(2_000)).build();
    Dataset customers = TestCustomers.generate(2_000, 7);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      List<java.util.concurrent.Future<SegmentationRun>> runs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        runs.add(pool.submit(() -> pipeline.run(customers)));
      }
      String first = csv(runs.get(0).get());
      for (var f : runs) {
        assertThat(csv(f.get())).isEqualTo(first);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static String csv(SegmentationRun run) throws java.io.IOException {
    StringWriter w = new StringWriter();
    run.assignments().writeCsv(w);
    return w.toString();
  }

  @Test
  void namedSegmentsCarryTheirNamesIntoBothCsvOutputs() throws java.io.IOException {
    SegmentationRun run = builder(allowedEveryOther(600),
            "minimize", "segmentWith", "releaseProfiles")
        .minimize(m -> m.keep("spend", "orders"))
        .segmentWith(dev.privseg.core.segment.rules.RuleSegments.first("big, loyal", "spend > 1000")
            .otherwise("everyone else"))
        .releaseProfiles(p -> p.minSegmentSize(1)).build().run(TestCustomers.generate(600, 11));
    StringWriter assignments = new StringWriter();
    StringWriter profiles = new StringWriter();

    run.assignments().writeCsv(assignments);
    run.profiles().writeCsv(profiles, run.segmentNames());

    assertThat(run.segmentNames()).containsExactly("big, loyal", "everyone else");
    List<String> a = assignments.toString().lines().toList();
    assertThat(a.get(0)).isEqualTo("pseudonym,segment,segment_name");
    assertThat(a.subList(1, a.size())).allMatch(line -> line.endsWith(",0,\"big, loyal\"")
        || line.endsWith(",1,everyone else")).anyMatch(line -> line.endsWith(",1,everyone else"));
    List<String> p = profiles.toString().lines().toList();
    assertThat(p.get(0)).isEqualTo("segment,segment_name,size,feature,statistic,value");
    assertThat(p).anyMatch(line -> line.startsWith("0,\"big, loyal\","));
    // Numbered segments keep the two-column form.
    StringWriter plain = new StringWriter();
    builder(allowedEveryOther(600)).build().run(TestCustomers.generate(600, 11)).assignments()
        .writeCsv(plain);
    assertThat(plain.toString().lines().findFirst()).contains("pseudonym,segment");
    assertThatThrownBy(() -> new dev.privseg.core.release.Assignments(new String[] {"x"},
        new int[] {2}, List.of("a", "b")))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("segment 2 has no name among 2");
  }

  @Test
  void reportSurvivesAJsonRoundTrip() {
    SegmentationRun run = builder(allowedEveryOther(100)).build()
        .run(TestCustomers.generate(100, 8));
    String json = run.report().toJson();

    ProcessingRecord back = ProcessingRecord.fromJson(json);

    assertThat(back.runId()).isEqualTo(run.report().runId());
    assertThat(back.counts()).isEqualTo(run.report().counts());
    assertThat(back.fields()).isEqualTo(run.report().fields());
    assertThat(json).contains("\"format\" : \"privseg-processing-record/1\"");
  }
}
