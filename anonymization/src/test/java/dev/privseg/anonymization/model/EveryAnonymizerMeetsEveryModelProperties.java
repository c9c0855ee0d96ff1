package dev.privseg.anonymization.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.anonymization.hierarchy.Hierarchy;
import dev.privseg.anonymization.microaggregation.Mdav;
import dev.privseg.anonymization.mondrian.Mondrian;
import dev.privseg.anonymization.search.GeneralizationAnonymizer;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.anonymize.AnonymizationFailedException;
import dev.privseg.core.anonymize.AnonymizedData;
import dev.privseg.core.anonymize.Anonymizer;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.io.MapReader;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Every anonymizer accepts every privacy model, the built-in ones and one written outside the
 * library: whatever it releases, recounted from the released table by an independent checker,
 * meets every model, and it fails only when the whole table breaks one.
 */
class EveryAnonymizerMeetsEveryModelProperties {
  static final Schema SCHEMA = Schema.builder()
      .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("income", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("job", FieldType.CATEGORICAL, PrivacyRole.SENSITIVE)
      .build();
  static final List<String> JOBS = List.of("nurse", "clerk", "chef", "pilot");

  @Provide
  Arbitrary<List<Map<String, Object>>> tables() {
    Arbitrary<Map<String, Object>> row = Combinators.combine(
        Arbitraries.integers().between(18, 80),
        Arbitraries.integers().between(0, 9).map(i -> i * 10_000),
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, Arbitraries.just("nurse")),
            net.jqwik.api.Tuple.of(3, Arbitraries.just("clerk")),
            net.jqwik.api.Tuple.of(2, Arbitraries.just("chef")),
            net.jqwik.api.Tuple.of(1, Arbitraries.just("pilot"))))
        .as((a, i, j) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("age", a);
          m.put("income", i);
          m.put("job", j);
          return m;
        });
    return row.list().ofMinSize(1).ofMaxSize(200);
  }

  @Provide
  Arbitrary<PrivacyModel> models() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(2, 3).map(l -> PrivacyModel.distinctLDiversity("job", l)),
        Arbitraries.of(1.5, 2.0, 2.5).map(l -> PrivacyModel.entropyLDiversity("job", l)),
        Arbitraries.of(2.0, 3.0).map(c -> PrivacyModel.recursiveLDiversity("job", c, 2)),
        Arbitraries.of(0.2, 0.35, 0.5).map(t -> PrivacyModel.tCloseness("job", t)),
        Arbitraries.of(0.5, 0.7).map(p -> new AtMostShare("job", p)));
  }

  @Property(tries = 150)
  void mondrianReleasesOnlyClassesMeetingEveryModel(
      @ForAll("tables") List<Map<String, Object>> rows, @ForAll("models") PrivacyModel model) {
    check(Mondrian.on("age", "income").k(3).model(model), rows, model, 3);
  }

  @Property(tries = 100)
  void mdavReleasesOnlyClassesMeetingEveryModel(
      @ForAll("tables") List<Map<String, Object>> rows, @ForAll("models") PrivacyModel model) {
    check(Mdav.on("age", "income").k(3).model(model), rows, model, 3);
  }

  @Property(tries = 100)
  void generalizationReleasesOnlyClassesMeetingEveryModel(
      @ForAll("tables") List<Map<String, Object>> rows, @ForAll("models") PrivacyModel model) {
    GeneralizationAnonymizer a = GeneralizationAnonymizer.builder()
        .hierarchy(Hierarchy.intervals("age", 5, 20, 40))
        .hierarchy(Hierarchy.intervals("income", 20_000, 40_000))
        .kAnonymity(3).model(model).suppressionLimit(0.1).build();
    Dataset data = MapReader.read(rows, SCHEMA);
    AnonymizedData out;
    try {
      out = a.anonymize(data);
    } catch (AnonymizationFailedException e) {
      return; // the brute-force optimality property covers when the search must find a node
    }
    assertEveryClassMeets(rows, out, model, 3);
  }

  static void check(Anonymizer a, List<Map<String, Object>> rows, PrivacyModel model, int k) {
    Dataset data = MapReader.read(rows, SCHEMA);
    List<String> all = new ArrayList<>();
    rows.forEach(r -> all.add((String) r.get("job")));
    boolean tableMeets = rows.size() >= k && meets(model, all, all);
    if (!tableMeets) {
      assertThatThrownBy(() -> a.anonymize(data))
          .isInstanceOf(AnonymizationFailedException.class);
      return;
    }
    AnonymizedData out = a.anonymize(data);
    assertThat(out.data().rowCount()).isEqualTo(rows.size());
    assertEveryClassMeets(rows, out, model, k);
    assertThat(out.coveredFields()).containsExactly("age", "income", "job");
    assertThat(String.join("\n", out.guarantees())).contains(model.criterion() + " holds");
  }

  static void assertEveryClassMeets(List<Map<String, Object>> rows, AnonymizedData out,
      PrivacyModel model, int k) {
    List<String> table = new ArrayList<>();
    rows.forEach(r -> table.add((String) r.get("job")));
    Map<List<String>, List<String>> classes = new HashMap<>();
    for (int r = 0; r < out.data().rowCount(); r++) {
      List<String> key = List.of(out.data().column("age").text(r),
          out.data().column("income").text(r));
      classes.computeIfAbsent(key, x -> new ArrayList<>())
          .add((String) rows.get(out.releasedRows()[r]).get("job"));
    }
    for (List<String> jobs : classes.values()) {
      assertThat(jobs.size()).isGreaterThanOrEqualTo(k);
      assertThat(meets(model, jobs, table)).as("%s on a released class", model.criterion())
          .isTrue();
    }
  }

  /** An independent reading of each model's definition, from counts. */
  static boolean meets(PrivacyModel model, List<String> jobs, List<String> table) {
    Map<String, Integer> counts = new HashMap<>();
    jobs.forEach(j -> counts.merge(j, 1, Integer::sum));
    int n = jobs.size();
    List<Integer> desc = new ArrayList<>(counts.values());
    desc.sort(Comparator.reverseOrder());
    if (model instanceof PrivacyModel.DistinctLDiversity d) {
      return counts.size() >= d.l();
    }
    if (model instanceof PrivacyModel.EntropyLDiversity e) {
      double h = 0;
      for (int c : counts.values()) {
        h -= (double) c / n * Math.log((double) c / n);
      }
      return h >= Math.log(e.l()) - 1e-12;
    }
    if (model instanceof PrivacyModel.RecursiveLDiversity r) {
      long tail = 0;
      for (int i = r.l() - 1; i < desc.size(); i++) {
        tail += desc.get(i);
      }
      return desc.size() >= r.l() && desc.get(0) < r.c() * tail;
    }
    if (model instanceof PrivacyModel.TCloseness t) {
      double emd = 0;
      for (String j : JOBS) {
        long inTable = table.stream().filter(j::equals).count();
        emd += Math.abs(counts.getOrDefault(j, 0) / (double) n - inTable / (double) table.size());
      }
      return emd / 2 <= t.t() + 1e-12;
    }
    if (model instanceof AtMostShare s) {
      return desc.get(0) <= s.share() * n;
    }
    throw new AssertionError("no independent reading of " + model.criterion());
  }

  @Test
  void aSensitiveFieldMissingOrAlsoAQuasiIdentifierIsRejectedByNameOnEveryAnonymizer() {
    Dataset data = MapReader.read(List.of(Map.of("age", 30, "income", 1, "job", "nurse")),
        SCHEMA);
    for (Anonymizer a : List.<Anonymizer>of(
        Mondrian.on("age", "income").model(PrivacyModel.distinctLDiversity("role", 2)),
        Mdav.on("age", "income").model(PrivacyModel.distinctLDiversity("role", 2)))) {
      assertThatThrownBy(() -> a.anonymize(data)).isInstanceOf(ConfigurationException.class)
          .hasMessage("distinct-2-diversity of 'role' needs its sensitive field 'role', which is "
              + "not in the data; in a pipeline, keep it in the minimize stage");
    }
    assertThatThrownBy(() -> Mondrian.on("age", "income")
        .model(PrivacyModel.distinctLDiversity("age", 2)).anonymize(data))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("field 'age' cannot be both a quasi-identifier and the sensitive field of "
            + "distinct-2-diversity of 'age'");
  }

  @Test
  void aModelThatIsNotMonotoneIsCaughtBeforeAnythingIsReleased() {
    // Breaks the contract: refuses classes of exactly 6 rows. MDAV makes groups of 3; two of them
    // have equal means and are released as one class of 6, which the model refuses.
    PrivacyModel notSix = new PrivacyModel() {
      @Override
      public String criterion() {
        return "any size but six";
      }

      @Override
      public boolean holds(EquivalenceClass cls) {
        return cls.size() != 6;
      }
    };
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int age : new int[] {20, 20, 20, 20, 20, 20, 50, 50, 50}) {
      rows.add(Map.of("age", age, "income", 0, "job", "nurse"));
    }
    Dataset data = MapReader.read(rows, SCHEMA);
    assertThatThrownBy(() -> Mdav.on("age", "income").k(3).model(notSix).anonymize(data))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("a released class of 6 rows breaks any size but six; nothing was "
            + "released (a privacy model must hold for the union of two classes that hold");
  }
}
