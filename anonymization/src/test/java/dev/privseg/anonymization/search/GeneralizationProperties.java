package dev.privseg.anonymization.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.privseg.anonymization.hierarchy.Hierarchy;
import dev.privseg.anonymization.utility.LossMetric;
import dev.privseg.core.anonymize.AnonymizationFailedException;
import dev.privseg.core.anonymize.AnonymizedData;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.io.MapReader;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The privacy guarantees of full-domain generalization, checked against an independent brute
 * force: on small random tables, over every node of the lattice, with labels from
 * {@link Hierarchy#generalize} and classes as hash maps of label lists.
 */
class GeneralizationProperties {

  static final Schema SCHEMA = Schema.builder()
      .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("region", FieldType.CATEGORICAL, PrivacyRole.QUASI_IDENTIFIER)
      .field("zip", FieldType.TEXT, PrivacyRole.QUASI_IDENTIFIER)
      .field("job", FieldType.CATEGORICAL, PrivacyRole.SENSITIVE)
      .build();
  static final List<String> REGIONS = List.of("north", "south", "east", "west", "centre", "isle");
  static final List<Hierarchy> HIERARCHIES = List.of(
      Hierarchy.intervals("age", 2, 4, 8),
      Hierarchy.taxonomy("region", List.of("mainland/north", "mainland/south", "mainland/east",
          "mainland/west", "mainland/centre", "islands/isle")),
      Hierarchy.masking("zip", 3));

  record Config(int k, int l, double entropyL, double t, double suppression, LossMetric metric,
      double recursiveC) {}

  @Provide
  Arbitrary<List<Map<String, Object>>> tables() {
    Arbitrary<Map<String, Object>> row = Combinators.combine(
        Arbitraries.integers().between(18, 33),
        Arbitraries.of(REGIONS),
        Arbitraries.of("A12", "A13", "A21", "B12", "B77"),
        Arbitraries.of("clerk", "nurse", "pilot", "chef")).as((a, r, z, j) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("age", a);
          m.put("region", r);
          m.put("zip", z);
          m.put("job", j);
          return m;
        });
    return row.list().ofMinSize(1).ofMaxSize(60);
  }

  @Provide
  Arbitrary<Config> configs() {
    return Combinators.combine(
        Arbitraries.integers().between(2, 6),
        Arbitraries.of(0, 2, 3),
        Arbitraries.of(0.0, 1.5),
        Arbitraries.of(1.0, 0.5, 0.3),
        Arbitraries.of(0.0, 0.05, 0.2),
        Arbitraries.of(LossMetric.values()),
        Arbitraries.of(0.0, 1.5, 3.0)).as(Config::new);
  }

  GeneralizationAnonymizer anonymizer(Config c) {
    GeneralizationAnonymizer.Builder b = GeneralizationAnonymizer.builder()
        .kAnonymity(c.k()).suppressionLimit(c.suppression()).metric(c.metric());
    HIERARCHIES.forEach(b::hierarchy);
    if (c.l() > 0) {
      b.lDiversity("job", c.l());
    }
    if (c.entropyL() > 0) {
      b.entropyLDiversity("job", c.entropyL());
    }
    if (c.t() < 1) {
      b.tCloseness("job", c.t());
    }
    if (c.recursiveC() > 0) {
      b.recursiveLDiversity("job", c.recursiveC(), 2);
    }
    return b.build();
  }

  @Property(tries = 300)
  void theChosenNodeIsTheBruteForceOptimumAndEveryReleasedClassMeetsTheModels(
      @ForAll("tables") List<Map<String, Object>> rows, @ForAll("configs") Config config) {
    Dataset data = MapReader.read(rows, SCHEMA);
    Oracle oracle = new Oracle(rows, config);
    GeneralizationAnonymizer anonymizer = anonymizer(config);

    if (oracle.bestLoss == null) {
      assertThatThrownBy(() -> anonymizer.apply(data))
          .isInstanceOf(AnonymizationFailedException.class)
          .hasMessageContaining("no generalization of [age, region, zip] meets");
      return;
    }
    GeneralizationResult result = anonymizer.apply(data);
    assertThat(result.informationLoss()).isCloseTo(oracle.bestLoss, within(1e-9));

    AnonymizedData out = result.anonymized();
    int suppressed = rows.size() - out.data().rowCount();
    assertThat(suppressed).isEqualTo(result.suppressedRows())
        .isLessThanOrEqualTo((int) Math.floor(config.suppression() * rows.size() + 1e-9));
    // Recount the released table itself: every class meets every model.
    Map<List<String>, List<String>> classes = new HashMap<>();
    for (int r = 0; r < out.data().rowCount(); r++) {
      List<String> key = new ArrayList<>();
      for (String q : List.of("age", "region", "zip")) {
        key.add(out.data().column(q).text(r));
      }
      String job = (String) rows.get(out.releasedRows()[r]).get("job");
      classes.computeIfAbsent(key, x -> new ArrayList<>()).add(job);
    }
    for (List<String> jobs : classes.values()) {
      assertThat(oracle.meets(jobs)).isTrue();
    }
    // Suppressed rows never appear: released indexes are distinct, ascending, in range.
    Set<Integer> seen = new HashSet<>();
    int previous = -1;
    for (int r : out.releasedRows()) {
      assertThat(r).isGreaterThan(previous).isLessThan(rows.size());
      assertThat(seen.add(r)).isTrue();
      previous = r;
    }
  }

  /** Brute force over all 5 x 3 x 4 nodes, independent of the engine. */
  static final class Oracle {
    final List<Map<String, Object>> rows;
    final Config config;
    final Map<String, Double> overall = new HashMap<>();
    Double bestLoss;

    Oracle(List<Map<String, Object>> rows, Config config) {
      this.rows = rows;
      this.config = config;
      for (Map<String, Object> r : rows) {
        overall.merge((String) r.get("job"), 1.0 / rows.size(), Double::sum);
      }
      for (int a = 0; a < 5; a++) {
        for (int g = 0; g < 3; g++) {
          for (int z = 0; z < 4; z++) {
            Double loss = evaluate(new int[] {a, g, z});
            if (loss != null && (bestLoss == null || loss < bestLoss)) {
              bestLoss = loss;
            }
          }
        }
      }
    }

    String value(Map<String, Object> row, int q) {
      return String.valueOf(row.get(List.of("age", "region", "zip").get(q)));
    }

    Double evaluate(int[] levels) {
      int n = rows.size();
      Map<List<String>, List<Integer>> classes = new LinkedHashMap<>();
      for (int r = 0; r < n; r++) {
        List<String> key = new ArrayList<>();
        for (int q = 0; q < 3; q++) {
          key.add(HIERARCHIES.get(q).generalize(value(rows.get(r), q), levels[q]));
        }
        classes.computeIfAbsent(key, x -> new ArrayList<>()).add(r);
      }
      Set<Integer> suppressed = new HashSet<>();
      int released = 0;
      long squares = 0;
      for (List<Integer> members : classes.values()) {
        List<String> jobs = new ArrayList<>();
        members.forEach(r -> jobs.add((String) rows.get(r).get("job")));
        if (meets(jobs)) {
          released++;
          squares += (long) members.size() * members.size();
        } else {
          suppressed.addAll(members);
        }
      }
      if (suppressed.size() > Math.floor(config.suppression() * n + 1e-9)) {
        return null;
      }
      switch (config.metric()) {
        case DISCERNIBILITY:
          return (squares + (double) suppressed.size() * n) / ((double) n * n);
        case AVERAGE_CLASS_SIZE:
          return released == 0 ? 1.0 : (double) (n - suppressed.size()) / released / n;
        case ARX_LOSS: {
          // ARX's definition, independently: per field the mean cell cost, leaves counted among
          // the values the hierarchy lists (region's taxonomy) or else those present; then the
          // geometric mean of 1 + loss, minus 1.
          double product = 1;
          for (int q = 0; q < 3; q++) {
            double sum = 0;
            for (int r = 0; r < n; r++) {
              sum += suppressed.contains(r) ? arxDomain(q) > 1 ? 1 : 0 : arxCost(q, r, levels[q]);
            }
            product *= Math.pow(1 + sum / n, 1.0 / 3);
          }
          return Math.max(0, product - 1);
        }
        default:
          double sum = 0;
          double norm = 0;
          for (int q = 0; q < 3; q++) {
            Hierarchy h = HIERARCHIES.get(q);
            int top = h.height() - 1;
            for (int r = 0; r < n; r++) {
              int level = suppressed.contains(r) ? top : levels[q];
              sum += cellCost(q, r, level);
              norm += cellCost(q, r, top);
            }
          }
          return norm == 0 ? 0 : sum / norm;
      }
    }

    /** The values field {@code q}'s hierarchy lists, or those present if it lists none. */
    List<String> arxValues(int q) {
      if (q == 1) {
        return REGIONS;
      }
      List<String> present = new ArrayList<>();
      for (Map<String, Object> o : rows) {
        if (!present.contains(value(o, q))) {
          present.add(value(o, q));
        }
      }
      return present;
    }

    int arxDomain(int q) {
      return arxValues(q).size();
    }

    double arxCost(int q, int r, int level) {
      Hierarchy h = HIERARCHIES.get(q);
      List<String> domain = arxValues(q);
      if (domain.size() <= 1) {
        return 0;
      }
      String label = h.generalize(value(rows.get(r), q), level);
      long leaves = domain.stream().filter(v -> h.generalize(v, level).equals(label)).count();
      return (leaves - 1) / (double) (domain.size() - 1);
    }

    double cellCost(int q, int r, int level) {
      Hierarchy h = HIERARCHIES.get(q);
      String v = value(rows.get(r), q);
      String label = h.generalize(v, level);
      switch (config.metric()) {
        case GENERALIZATION_INTENSITY:
          return level / (double) (h.height() - 1);
        case NON_UNIFORM_ENTROPY: {
          long same = rows.stream().filter(o -> value(o, q).equals(v)).count();
          long sameLabel = rows.stream()
              .filter(o -> h.generalize(value(o, q), level).equals(label)).count();
          return Math.log((double) sameLabel / same) / Math.log(2);
        }
        default: {
          Set<String> domain = new HashSet<>();
          Set<String> leaves = new HashSet<>();
          for (Map<String, Object> o : rows) {
            domain.add(value(o, q));
            if (h.generalize(value(o, q), level).equals(label)) {
              leaves.add(value(o, q));
            }
          }
          if (domain.size() == 1) {
            return level == h.height() - 1 ? 1 : 0;
          }
          return (leaves.size() - 1) / (double) (domain.size() - 1);
        }
      }
    }

    boolean meets(List<String> jobs) {
      int size = jobs.size();
      if (size < config.k()) {
        return false;
      }
      Map<String, Integer> counts = new HashMap<>();
      jobs.forEach(j -> counts.merge(j, 1, Integer::sum));
      if (config.l() > 0 && counts.size() < config.l()) {
        return false;
      }
      if (config.entropyL() > 0) {
        double h = 0;
        for (int c : counts.values()) {
          double p = (double) c / size;
          h -= p * Math.log(p);
        }
        if (h < Math.log(config.entropyL()) - 1e-12) {
          return false;
        }
      }
      if (config.recursiveC() > 0) {
        List<Integer> sorted = new ArrayList<>(counts.values());
        sorted.sort(java.util.Comparator.reverseOrder());
        long tail = 0;
        for (int i = 1; i < sorted.size(); i++) {
          tail += sorted.get(i);
        }
        if (sorted.size() < 2 || sorted.get(0) >= config.recursiveC() * tail) {
          return false;
        }
      }
      if (config.t() < 1) {
        double emd = 0;
        for (Map.Entry<String, Double> e : overall.entrySet()) {
          emd += Math.abs(counts.getOrDefault(e.getKey(), 0) / (double) size - e.getValue());
        }
        if (emd / 2 > config.t() + 1e-12) {
          return false;
        }
      }
      return true;
    }
  }
}
