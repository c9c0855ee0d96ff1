package dev.privseg.anonymization.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.privseg.anonymization.hierarchy.Hierarchy;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.io.CsvReader;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Equivalence classes and prosecutor risk on the real datasets, against the baseline table of
 * ../shared/data/README.md (missing values count as their own value there too).
 */
class BaselineRiskTest {

  static Path shared(String name) {
    Path p = Path.of(System.getProperty("privseg.shared.data", "../../shared/data"), name);
    assumeTrue(Files.isRegularFile(p), "SKIPPED: ../shared/data/" + name + " is absent");
    return p;
  }

  static Dataset read(String file, List<String> qis) throws IOException {
    Schema.Builder s = Schema.builder();
    for (String q : qis) {
      s.field(q, FieldType.CATEGORICAL, PrivacyRole.QUASI_IDENTIFIER);
    }
    return CsvReader.defaults().read(shared(file), s.build());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "telco_churn.csv|female,senior_citizen,partner,dependents,tenure|891|140",
      "credit_data.csv|Age,Marital,Home,Job|1041|492",
      "hr_attrition.csv|Age,Gender,MaritalStatus,Education,Department|895|566",
      "lending_club.csv|addr_state,emp_length,term|989|174",
      "income_survey.csv|SEX,AGE,MARITAL.STATUS,EDUCATION,OCCUPATION,ETHNIC.CLASS|2700|1572"})
  void classesAndUniquesMatchTheDatasetReadme(String file, String qis, int classes, int uniques)
      throws IOException {
    List<String> fields = List.of(qis.split(","));
    Dataset data = read(file, fields);

    EquivalenceClasses ec = EquivalenceClasses.of(data, fields);

    assertThat(ec.count()).isEqualTo(classes);
    assertThat(ec.uniques()).isEqualTo(uniques);
    EquivalenceClasses.ProsecutorRisk risk = ec.prosecutorRisk(0.2);
    assertThat(risk.highest()).isEqualTo(1.0);
    assertThat(risk.average()).isEqualTo((double) classes / data.rowCount());
    assertThat(risk.sampleUniques()).isEqualTo(uniques);
  }

  @Test
  void arxHierarchiesGeneralizeAdultAndRaiseK() throws IOException {
    List<String> qis = List.of("sex", "age", "race", "marital-status", "education",
        "native-country", "workclass", "salary-class");
    Schema.Builder s = Schema.builder();
    for (String q : qis) {
      s.field(q, FieldType.CATEGORICAL, PrivacyRole.QUASI_IDENTIFIER);
    }
    s.field("occupation", FieldType.CATEGORICAL, PrivacyRole.SENSITIVE);
    Dataset adult = CsvReader.builder().delimiter(';').build()
        .read(shared("arx-adult/adult.csv"), s.build());
    assertThat(adult.rowCount()).isEqualTo(30_162);

    int[][] raw = new int[qis.size()][];
    int[][] coarse = new int[qis.size()][];
    for (int q = 0; q < qis.size(); q++) {
      Hierarchy h = Hierarchy.fromCsv(qis.get(q),
          shared("arx-adult/adult_hierarchy_" + qis.get(q) + ".csv"), ';');
      raw[q] = h.codes(adult.column(qis.get(q)), 0);
      coarse[q] = h.codes(adult.column(qis.get(q)), Math.min(2, h.height() - 1));
    }
    EquivalenceClasses before = EquivalenceClasses.of(raw, adult.rowCount());
    EquivalenceClasses after = EquivalenceClasses.of(coarse, adult.rowCount());

    assertThat(before.smallest()).isEqualTo(1);
    assertThat(after.count()).isLessThan(before.count());
    assertThat(after.uniques()).isLessThan(before.uniques());
    assertThat(after.prosecutorRisk(0.2).shareAtRisk())
        .isLessThan(before.prosecutorRisk(0.2).shareAtRisk());
  }

  @Test
  void aValueTheHierarchyDoesNotCoverIsRejectedNamingTheFieldOnly() throws IOException {
    Hierarchy h = Hierarchy.fromCsv("region", new StringReader("north;N\nsouth;S\n"), ';');
    assertThat(h.height()).isEqualTo(3);
    assertThat(h.generalize("north", 1)).isEqualTo("N");
    assertThat(h.generalize("south", 2)).isEqualTo(Hierarchy.SUPPRESSED);
    assertThatThrownBy(() -> h.generalize("CANARY-west", 1))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("hierarchy of field 'region' does not cover a value found in the data");
  }
}
