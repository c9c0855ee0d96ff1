package dev.privseg.anonymization.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.privseg.anonymization.hierarchy.Hierarchy;
import dev.privseg.anonymization.risk.EquivalenceClasses;
import dev.privseg.anonymization.utility.LossMetric;
import dev.privseg.core.anonymize.AnonymizationFailedException;
import dev.privseg.core.anonymize.AnonymizedData;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.io.CsvReader;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Optimal generalization of the Adult benchmark (../shared/data/arx-adult): 30,162 rows, eight
 * quasi-identifiers with ARX's hierarchies, occupation sensitive.
 */
class AdultGeneralizationTest {
  static final List<String> QIS = List.of("sex", "age", "race", "marital-status", "education",
      "native-country", "workclass", "salary-class");
  static Dataset adult;
  static List<Hierarchy> hierarchies;

  static Path shared(String name) {
    Path p = Path.of(System.getProperty("privseg.shared.data", "../../shared/data"), name);
    assumeTrue(Files.isRegularFile(p), "SKIPPED: ../shared/data/" + name + " is absent");
    return p;
  }

  @BeforeAll
  static void load() throws IOException {
    Schema.Builder s = Schema.builder();
    for (String q : QIS) {
      s.field(q, FieldType.CATEGORICAL, PrivacyRole.QUASI_IDENTIFIER);
    }
    s.field("occupation", FieldType.CATEGORICAL, PrivacyRole.SENSITIVE);
    adult = CsvReader.builder().delimiter(';').build()
        .read(shared("arx-adult/adult.csv"), s.build());
    hierarchies = new java.util.ArrayList<>();
    for (String q : QIS) {
      hierarchies.add(Hierarchy.fromCsv(q, shared("arx-adult/adult_hierarchy_" + q + ".csv"),
          ';'));
    }
  }

  static GeneralizationAnonymizer.Builder builder() {
    GeneralizationAnonymizer.Builder b = GeneralizationAnonymizer.builder();
    hierarchies.forEach(b::hierarchy);
    return b;
  }

  @Test
  void fiveAnonymityChoosesTheSameNodeAsABruteForceSearch() {
    GeneralizationAnonymizer a = builder().kAnonymity(5).build();

    GeneralizationResult result = a.apply(adult);

    Lattice lattice = a.lattice(adult);
    assertThat(lattice.size()).isEqualTo(2 * 5 * 2 * 3 * 4 * 3 * 3 * 2);
    double best = Double.POSITIVE_INFINITY;
    int[] bestLevels = null;
    for (int node = 0; node < lattice.size(); node++) {
      Lattice.NodeEvaluation e = lattice.evaluate(lattice.levels(node));
      if (e.meetsModels() && e.loss() < best) {
        best = e.loss();
        bestLevels = e.levels();
      }
    }
    assertThat(result.informationLoss()).isEqualTo(best);
    int[] chosen = QIS.stream().mapToInt(q -> result.levels().get(q)).toArray();
    assertThat(chosen).containsExactly(bestLevels);
    assertThat(result.suppressedRows()).isZero();
    assertThat((Integer) result.summary().get("nodesEvaluated")).isLessThan(lattice.size() / 4);

    // The released table, recounted independently, is 5-anonymous.
    AnonymizedData out = result.anonymized();
    assertThat(out.data().rowCount()).isEqualTo(adult.rowCount());
    EquivalenceClasses ec = EquivalenceClasses.of(out.data(), QIS);
    assertThat(ec.smallest()).isGreaterThanOrEqualTo(5).isEqualTo(result.achievedK());
    assertThat(ec.prosecutorRisk(0.2).highest()).isLessThanOrEqualTo(0.2);
  }

  /**
   * ARX's Loss, as ARX 3.9.2 reports it for Adult at k = 5: 0.5422 for the node both choose,
   * where privseg's own loss is 0.625. Optimizing ARX's metric chooses that node too.
   */
  @Test
  void arxsLossReproducesArxsFigureAndOptimum() {
    GeneralizationResult byLoss = builder().kAnonymity(5).build().apply(adult);
    java.util.Map<?, ?> byMetric = (java.util.Map<?, ?>) byLoss.summary()
        .get("informationLossByMetric");
    assertThat((Double) byMetric.get("LOSS")).isCloseTo(0.625, org.assertj.core.data.Offset
        .offset(5e-4));
    assertThat((Double) byMetric.get("ARX_LOSS")).isCloseTo(0.5422,
        org.assertj.core.data.Offset.offset(5e-5));

    GeneralizationResult byArx = builder().kAnonymity(5)
        .metric(dev.privseg.anonymization.utility.LossMetric.ARX_LOSS).build().apply(adult);
    assertThat(byArx.levels()).isEqualTo(byLoss.levels());
    assertThat(byArx.informationLoss()).isCloseTo(0.5422, org.assertj.core.data.Offset
        .offset(5e-5));
  }

  @Test
  void tenAnonymityWithOnePercentSuppressionSuppressesAtMostThreeHundredRows() {
    GeneralizationResult k10 = builder().kAnonymity(10).suppressionLimit(0.01).build()
        .apply(adult);
    GeneralizationResult strict = builder().kAnonymity(10).build().apply(adult);

    assertThat(k10.suppressedRows()).isBetween(1, 301);
    assertThat(k10.informationLoss()).isLessThan(strict.informationLoss());
    EquivalenceClasses ec = EquivalenceClasses.of(k10.anonymized().data(), QIS);
    assertThat(ec.smallest()).isGreaterThanOrEqualTo(10);
    assertThat(k10.anonymized().data().rowCount())
        .isEqualTo(adult.rowCount() - k10.suppressedRows());
    @SuppressWarnings("unchecked")
    Map<String, Object> before = (Map<String, Object>) k10.summary().get("riskBefore");
    @SuppressWarnings("unchecked")
    Map<String, Object> after = (Map<String, Object>) k10.summary().get("riskAfter");
    assertThat((Double) before.get("prosecutorHighest")).isEqualTo(1.0);
    assertThat((Double) after.get("prosecutorHighest")).isLessThanOrEqualTo(0.1);
    assertThat((Double) after.get("shareAtRisk")).isZero();
  }

  @Test
  void diversityAndClosenessOfOccupationHoldInEveryReleasedClass() {
    GeneralizationResult r = builder().kAnonymity(5).lDiversity("occupation", 3)
        .tCloseness("occupation", 0.3).suppressionLimit(0.02)
        .metric(LossMetric.DISCERNIBILITY).build().apply(adult);

    @SuppressWarnings("unchecked")
    Map<String, Object> occupation = (Map<String, Object>) ((Map<String, Object>)
        r.summary().get("achieved")).get("occupation");
    assertThat((Integer) occupation.get("distinctL")).isGreaterThanOrEqualTo(3);
    assertThat((Double) occupation.get("t")).isLessThanOrEqualTo(0.3);
    assertThat(r.suppressedRows()).isLessThanOrEqualTo(603);
  }

  @Test
  void aSavedSchemeIsReappliedToANewBatchAndRecheckedThere(@org.junit.jupiter.api.io.TempDir
      Path dir) throws IOException {
    int half = adult.rowCount() / 2;
    Dataset first = adult.select(java.util.stream.IntStream.range(0, half).toArray());
    Dataset second = adult.select(
        java.util.stream.IntStream.range(half, adult.rowCount()).toArray());
    GeneralizationAnonymizer searching = builder().kAnonymity(10).suppressionLimit(0.02).build();
    GeneralizationResult chosen = searching.apply(first);
    Path file = dir.resolve("scheme.json");
    chosen.scheme().write(file);

    TransformationScheme scheme = TransformationScheme.read(file);
    assertThat(scheme).isEqualTo(chosen.scheme());
    assertThat(scheme.levels()).isEqualTo(chosen.levels());
    GeneralizationAnonymizer fixed = builder().kAnonymity(10).suppressionLimit(0.02).build()
        .withScheme(scheme);
    GeneralizationResult again = fixed.apply(second);

    assertThat(again.levels()).isEqualTo(chosen.levels());
    assertThat((Integer) again.summary().get("nodesEvaluated")).isEqualTo(1);
    assertThat(EquivalenceClasses.of(again.anonymized().data(), QIS).smallest())
        .isGreaterThanOrEqualTo(10);
    assertThat(fixed.parameters()).containsKey("scheme");

    // A batch of 40 rows cannot be 10-anonymous at those levels within 2 % suppression.
    Dataset small = adult.select(java.util.stream.IntStream.range(0, 40).toArray());
    assertThatThrownBy(() -> fixed.apply(small))
        .isInstanceOf(AnonymizationFailedException.class)
        .hasMessageStartingWith("this batch breaks 10-anonymity under the saved scheme");
    // A scheme made for other models is refused before any data is read.
    assertThatThrownBy(() -> builder().kAnonymity(5).build().withScheme(scheme))
        .isInstanceOf(dev.privseg.core.ConfigurationException.class)
        .hasMessage("the scheme's models [10-anonymity] differ from this anonymizer's "
            + "[5-anonymity]");
  }

  @Test
  void unreachableCriteriaFailNamingTheCriterion() {
    // Adult has 14 occupations: no class can hold 15 distinct ones.
    assertThatThrownBy(() -> builder().kAnonymity(5).lDiversity("occupation", 15).build()
        .apply(adult))
        .isInstanceOf(AnonymizationFailedException.class)
        .hasMessageContaining("distinct-15-diversity of 'occupation'")
        .hasMessageNotContaining("5-anonymity");
  }
}
