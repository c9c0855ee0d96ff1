package dev.privseg.anonymization.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.anonymization.utility.LossMetric;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.anonymize.AnonymizationFailedException;
import dev.privseg.core.anonymize.AnonymizedData;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.io.MapReader;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The contract an engine that holds the rows elsewhere relies on: counting a table's classes
 * with the public {@link ClassTable.Builder} (values and classes in the order of their first row,
 * sensitive counts in any order), searching them, and applying the {@link GeneralizationChoice}
 * to the rows releases exactly what {@link GeneralizationAnonymizer#apply} releases on the rows,
 * with the same record.
 */
class ClassTableProperties {
  static final Schema SCHEMA = Schema.builder()
      .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("region", FieldType.CATEGORICAL, PrivacyRole.QUASI_IDENTIFIER)
      .field("zip", FieldType.TEXT, PrivacyRole.QUASI_IDENTIFIER)
      .field("job", FieldType.CATEGORICAL, PrivacyRole.SENSITIVE)
      .field("income", FieldType.NUMERIC, PrivacyRole.SENSITIVE)
      .build();
  static final List<String> QIS = List.of("age", "region", "zip");

  record Config(int k, int l, double t, double incomeT, double suppression, LossMetric metric) {}

  @Provide
  Arbitrary<List<Map<String, Object>>> tables() {
    Arbitrary<Map<String, Object>> row = Combinators.combine(
        Arbitraries.integers().between(18, 33).injectNull(0.1),
        Arbitraries.of(GeneralizationProperties.REGIONS),
        Arbitraries.of("A12", "A13", "A21", "B12", "B77").injectNull(0.1),
        Arbitraries.of("clerk", "nurse", "pilot", "chef").injectNull(0.05),
        Arbitraries.of(-0.0, 0.0, 1.5, 20.25, 300.0).injectNull(0.05)).as((a, r, z, j, i) -> {
          Map<String, Object> m = new HashMap<>();
          m.put("age", a);
          m.put("region", r);
          m.put("zip", z);
          m.put("job", j);
          m.put("income", i);
          return m;
        });
    return row.list().ofMinSize(1).ofMaxSize(80);
  }

  @Provide
  Arbitrary<Config> configs() {
    return Combinators.combine(
        Arbitraries.integers().between(2, 5),
        Arbitraries.of(0, 2),
        Arbitraries.of(1.0, 0.5),
        Arbitraries.of(1.0, 0.6),
        Arbitraries.of(0.0, 0.1, 0.3),
        Arbitraries.of(LossMetric.values())).as(Config::new);
  }

  static GeneralizationAnonymizer anonymizer(Config c) {
    GeneralizationAnonymizer.Builder b = GeneralizationAnonymizer.builder()
        .kAnonymity(c.k()).suppressionLimit(c.suppression()).metric(c.metric());
    GeneralizationProperties.HIERARCHIES.forEach(b::hierarchy);
    if (c.l() > 0) {
      b.lDiversity("job", c.l());
    }
    if (c.t() < 1) {
      b.tCloseness("job", c.t());
    }
    if (c.incomeT() < 1) {
      b.tCloseness("income", c.incomeT());
    }
    return b.build();
  }

  @Property(tries = 300)
  void searchingTheCountedClassesReleasesWhatTheRowsRelease(
      @ForAll("tables") List<Map<String, Object>> rows, @ForAll("configs") Config config,
      @ForAll long shuffleSeed) {
    Dataset data = MapReader.read(rows, SCHEMA);
    GeneralizationAnonymizer anonymizer = anonymizer(config);
    Counted counted = Counted.of(rows, anonymizer, new Random(shuffleSeed));
    GeneralizationResult local;
    try {
      local = anonymizer.apply(data);
    } catch (AnonymizationFailedException e) {
      assertThatThrownBy(() -> anonymizer.search(counted.table))
          .isInstanceOf(AnonymizationFailedException.class).hasMessage(e.getMessage());
      return;
    }
    GeneralizationChoice choice = anonymizer.search(counted.table);

    assertThat(choice.levels()).isEqualTo(local.levels());
    assertThat(withoutTime(choice.summary())).isEqualTo(withoutTime(local.summary()));
    AnonymizedData released = local.anonymized();
    assertThat(choice.guarantees()).isEqualTo(released.guarantees());
    assertThat(choice.coveredFields()).isEqualTo(released.coveredFields());
    // Applied row by row, as an engine holding the rows applies it.
    List<Integer> kept = new ArrayList<>();
    List<List<String>> labels = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      if (!choice.released(counted.classOf[r])) {
        continue;
      }
      kept.add(r);
      List<String> row = new ArrayList<>();
      for (int q = 0; q < QIS.size(); q++) {
        row.add(choice.label(QIS.get(q), counted.codes[r][q]));
      }
      labels.add(row);
    }
    assertThat(kept).containsExactly(box(released.releasedRows()));
    for (int i = 0; i < kept.size(); i++) {
      for (int q = 0; q < QIS.size(); q++) {
        assertThat(labels.get(i).get(q)).isEqualTo(released.data().column(QIS.get(q)).text(i));
      }
    }
    for (String q : QIS) {
      if (released.data().column(q) instanceof dev.privseg.core.dataset.CategoricalColumn cat) {
        assertThat(choice.dictionary(q)).isEqualTo(cat.dictionary());
      }
    }
  }

  @Property(tries = 100)
  void theRowsOwnTableIsTheCountedOne(@ForAll("tables") List<Map<String, Object>> rows,
      @ForAll("configs") Config config) {
    Dataset data = MapReader.read(rows, SCHEMA);
    GeneralizationAnonymizer anonymizer = anonymizer(config);
    ClassTable own = ClassTable.of(data, QIS, sensitive(anonymizer));
    ClassTable counted = Counted.of(rows, anonymizer, new Random(1)).table;
    assertThat(own.classes()).isEqualTo(counted.classes());
    assertThat(own.rows()).isEqualTo(rows.size());
    for (String q : QIS) {
      assertThat(own.values(q)).isEqualTo(counted.values(q));
    }
    for (int c = 0; c < own.classes(); c++) {
      assertThat(own.size(c)).isEqualTo(counted.size(c));
    }
  }

  @Example
  void aTableThatIsNotTheAnonymizersIsRefusedNamingWhatDiffers() {
    GeneralizationAnonymizer anonymizer = anonymizer(new Config(2, 2, 1, 1, 0, LossMetric.LOSS));
    ClassTable.Builder swapped = ClassTable.builder(List.of("region", "age", "zip"));
    swapped.values("region", List.of("north"), false).values("age", List.of("20"), false)
        .values("zip", List.of("A12"), false).add(new int[] {0, 0, 0}, 3);
    assertThatThrownBy(() -> anonymizer.search(swapped.build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("quasi-identifiers [region, age, zip] are not this anonymizer's "
            + "[age, region, zip]");
    ClassTable.Builder noJob = ClassTable.builder(QIS);
    noJob.values("age", List.of("20"), false).values("region", List.of("north"), false)
        .values("zip", List.of("A12"), false).add(new int[] {0, 0, 0}, 3);
    assertThatThrownBy(() -> anonymizer.search(noJob.build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("counts sensitive fields [] but the models protect [job]");
  }

  @Example
  void countsThatDoNotAddUpOrRepeatAClassAreRefused() {
    ClassTable.Builder b = ClassTable.builder(List.of("age"));
    b.values("age", List.of("20", "30"), true);
    int c = b.add(new int[] {2}, 3);
    assertThatThrownBy(() -> b.add(new int[] {2}, 1)).isInstanceOf(ConfigurationException.class)
        .hasMessage("class 1 has the same codes as class 0");
    assertThatThrownBy(() -> b.add(new int[] {3}, 1)).isInstanceOf(ConfigurationException.class)
        .hasMessage("code 3 of 'age' is outside 0..2");
    b.sensitive("job", List.of("nurse"), false).count(c, "job", 0, 2);
    assertThatThrownBy(b::build).isInstanceOf(ConfigurationException.class)
        .hasMessage("the counts of 'job' in class 0 add up to 2 rows, not its 3");
    assertThatThrownBy(() -> b.count(c, "job", 0, 1).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("class 0 counts code 0 of 'job' twice");
  }

  private static List<String> sensitive(GeneralizationAnonymizer a) {
    return dev.privseg.anonymization.internal.Models.sensitiveFields(a.models());
  }

  private static Map<String, Object> withoutTime(Map<String, Object> summary) {
    Map<String, Object> out = new LinkedHashMap<>(summary);
    out.remove("searchMillis");
    return out;
  }

  private static Integer[] box(int[] values) {
    Integer[] out = new Integer[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  /**
   * A table counted as another engine counts it, independently of the anonymizer's own
   * encoding: values by text in the order first seen, classes as lists of codes by first row,
   * sensitive counts per class handed over in a random order.
   */
  static final class Counted {
    final ClassTable table;
    final int[] classOf;
    final int[][] codes;

    private Counted(ClassTable table, int[] classOf, int[][] codes) {
      this.table = table;
      this.classOf = classOf;
      this.codes = codes;
    }

    static Counted of(List<Map<String, Object>> rows, GeneralizationAnonymizer anonymizer,
        Random random) {
      ClassTable.Builder b = ClassTable.builder(QIS);
      int[][] codes = new int[rows.size()][QIS.size()];
      for (int q = 0; q < QIS.size(); q++) {
        Map<String, Integer> seen = new LinkedHashMap<>();
        boolean missing = false;
        for (Map<String, Object> row : rows) {
          Object v = row.get(QIS.get(q));
          if (v == null) {
            missing = true;
          } else {
            seen.putIfAbsent(String.valueOf(v), seen.size());
          }
        }
        for (int r = 0; r < rows.size(); r++) {
          Object v = rows.get(r).get(QIS.get(q));
          codes[r][q] = v == null ? seen.size() : seen.get(String.valueOf(v));
        }
        b.values(QIS.get(q), List.copyOf(seen.keySet()), missing);
      }
      Map<List<Integer>, Integer> classes = new LinkedHashMap<>();
      int[] classOf = new int[rows.size()];
      Map<Integer, Integer> sizes = new LinkedHashMap<>();
      for (int r = 0; r < rows.size(); r++) {
        List<Integer> key = List.of(codes[r][0], codes[r][1], codes[r][2]);
        classOf[r] = classes.computeIfAbsent(key, k -> classes.size());
        sizes.merge(classOf[r], 1, Integer::sum);
      }
      for (Map.Entry<List<Integer>, Integer> e : classes.entrySet()) {
        int added = b.add(e.getKey().stream().mapToInt(Integer::intValue).toArray(),
            sizes.get(e.getValue()));
        assertThat(added).isEqualTo(e.getValue());
      }
      for (String s : sensitive(anonymizer)) {
        boolean numeric = s.equals("income");
        Map<Object, Integer> seen = new LinkedHashMap<>();
        boolean missing = false;
        for (Map<String, Object> row : rows) {
          Object v = row.get(s);
          if (v == null) {
            missing = true;
          } else {
            seen.putIfAbsent(numeric ? (Object) (((Double) v) + 0.0) : v, seen.size());
          }
        }
        if (numeric) {
          b.sensitive(s, seen.keySet().stream().mapToDouble(v -> (Double) v).toArray(), missing);
        } else {
          b.sensitive(s, seen.keySet().stream().map(String::valueOf).toList(), missing);
        }
        Map<List<Integer>, Integer> counts = new HashMap<>();
        for (int r = 0; r < rows.size(); r++) {
          Object v = rows.get(r).get(s);
          int code = v == null ? seen.size() : seen.get(numeric ? (Object) ((Double) v + 0.0) : v);
          counts.merge(List.of(classOf[r], code), 1, Integer::sum);
        }
        List<Map.Entry<List<Integer>, Integer>> entries = new ArrayList<>(counts.entrySet());
        Collections.shuffle(entries, random);
        for (Map.Entry<List<Integer>, Integer> e : entries) {
          b.count(e.getKey().get(0), s, e.getKey().get(1), e.getValue());
        }
      }
      return new Counted(b.build(), classOf, codes);
    }
  }
}
