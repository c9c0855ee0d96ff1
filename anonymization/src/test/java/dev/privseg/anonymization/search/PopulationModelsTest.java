package dev.privseg.anonymization.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.privseg.anonymization.hierarchy.Hierarchy;
import dev.privseg.anonymization.model.Population;
import dev.privseg.anonymization.risk.PopulationUniqueness;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.io.MapReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** k-map and journalist risk against a population table; Zayatz's population uniqueness. */
class PopulationModelsTest {
  final GeneralizationProperties tables = new GeneralizationProperties();

  @Provide
  Arbitrary<List<Map<String, Object>>> tables() {
    return tables.tables();
  }

  @Property(tries = 150)
  void kMapHoldsAgainstThePopulationAndTheChoiceIsTheBruteForceOptimum(
      @ForAll("tables") List<Map<String, Object>> sample,
      @ForAll("tables") List<Map<String, Object>> others,
      @ForAll @IntRange(min = 2, max = 8) int k) {
    List<Map<String, Object>> people = new ArrayList<>(sample);
    people.addAll(others);
    Dataset data = MapReader.read(sample, GeneralizationProperties.SCHEMA);
    Dataset populationTable = MapReader.read(people, GeneralizationProperties.SCHEMA);
    GeneralizationAnonymizer.Builder b = GeneralizationAnonymizer.builder()
        .kMap(k, Population.of(populationTable)).suppressionLimit(0.1);
    GeneralizationProperties.HIERARCHIES.forEach(b::hierarchy);
    GeneralizationAnonymizer a = b.build();

    // Brute force over all nodes with the LOSS metric, as the oracle does for k-anonymity.
    Double best = null;
    for (int x = 0; x < 5; x++) {
      for (int y = 0; y < 3; y++) {
        for (int z = 0; z < 4; z++) {
          int[] levels = {x, y, z};
          Map<List<String>, Integer> popCount = new HashMap<>();
          for (Map<String, Object> p : people) {
            popCount.merge(key(p, levels), 1, Integer::sum);
          }
          Map<List<String>, Integer> sampleCount = new HashMap<>();
          for (Map<String, Object> r : sample) {
            sampleCount.merge(key(r, levels), 1, Integer::sum);
          }
          int suppressed = 0;
          for (Map.Entry<List<String>, Integer> e : sampleCount.entrySet()) {
            if (popCount.get(e.getKey()) < k) {
              suppressed += e.getValue();
            }
          }
          if (suppressed <= Math.floor(0.1 * sample.size() + 1e-9)) {
            double loss = a.lattice(data).evaluate(levels).loss();
            best = best == null ? loss : Math.min(best, loss);
          }
        }
      }
    }
    if (best == null) {
      return;
    }
    GeneralizationResult r = a.apply(data);
    assertThat(r.informationLoss()).isCloseTo(best, within(1e-9));
    @SuppressWarnings("unchecked")
    Map<String, Object> journalist = (Map<String, Object>) r.summary().get("journalistRisk");
    assertThat((Long) journalist.get("smallestPopulationClass")).isGreaterThanOrEqualTo(k);
    assertThat((Double) journalist.get("highest")).isLessThanOrEqualTo(1.0 / k + 1e-6);
  }

  static List<String> key(Map<String, Object> row, int[] levels) {
    List<String> key = new ArrayList<>();
    List<String> fields = List.of("age", "region", "zip");
    for (int q = 0; q < 3; q++) {
      Hierarchy h = GeneralizationProperties.HIERARCHIES.get(q);
      key.add(h.generalize(String.valueOf(row.get(fields.get(q))), levels[q]));
    }
    return key;
  }

  @Test
  void zayatzCountsEverySampleUniqueWhenTheSampleIsThePopulation() {
    int[] sizes = {1, 1, 1, 2, 5};
    PopulationUniqueness.Estimate all = PopulationUniqueness.zayatz(sizes, 10);
    assertThat(all.estimatedUniques()).isEqualTo(3.0);
    assertThat(all.share()).isEqualTo(0.3);
    // A larger population makes population uniques rarer, never more frequent.
    double previous = all.estimatedUniques();
    for (long population : new long[] {20, 100, 10_000, 1_000_000}) {
      double e = PopulationUniqueness.zayatz(sizes, population).estimatedUniques();
      assertThat(e).isLessThanOrEqualTo(previous).isPositive();
      previous = e;
    }
    // With a vanishing sampling fraction: f1 * f1 / n.
    assertThat(PopulationUniqueness.zayatz(sizes, 1L << 50).estimatedUniques())
        .isCloseTo(3.0 * 3 / 10, within(1e-6));
  }

  @Test
  void adultRecordsPopulationUniquenessBeforeAndAfter() {
    GeneralizationAnonymizer.Builder b = GeneralizationAnonymizer.builder().kAnonymity(5)
        .populationSize(250_000_000L);
    try {
      AdultGeneralizationTest.load();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    AdultGeneralizationTest.hierarchies.forEach(b::hierarchy);
    GeneralizationResult r = b.build().apply(AdultGeneralizationTest.adult);
    @SuppressWarnings("unchecked")
    Map<String, Object> before = (Map<String, Object>) r.summary().get(
        "populationUniquenessBefore");
    @SuppressWarnings("unchecked")
    Map<String, Object> after = (Map<String, Object>) r.summary().get(
        "populationUniquenessAfter");
    assertThat((Double) before.get("estimatedPopulationUniques")).isPositive();
    assertThat((Double) after.get("estimatedPopulationUniques")).isZero();
  }
}
