package dev.privseg.anonymization.mondrian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.anonymization.microaggregation.Mdav;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.anonymize.AnonymizationFailedException;
import dev.privseg.core.anonymize.AnonymizedData;
import dev.privseg.core.anonymize.Anonymizer;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.NumberColumn;
import dev.privseg.core.io.MapReader;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import dev.privseg.core.schema.Schema;
import java.util.ArrayList;
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
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Mondrian and MDAV: every released row shares its quasi-identifiers with at least k - 1 others. */
class PartitioningProperties {
  static final Schema SCHEMA = Schema.builder()
      .field("age", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("income", FieldType.NUMERIC, PrivacyRole.QUASI_IDENTIFIER)
      .field("tenure", FieldType.INTEGER, PrivacyRole.QUASI_IDENTIFIER)
      .field("segment", FieldType.CATEGORICAL, PrivacyRole.OTHER)
      .build();

  @Provide
  Arbitrary<List<Map<String, Object>>> tables() {
    Arbitrary<Map<String, Object>> row = Combinators.combine(
        Arbitraries.integers().between(18, 90),
        Arbitraries.doubles().between(0, 200_000).ofScale(2),
        Arbitraries.integers().between(0, 5),
        Arbitraries.of("a", "b", "c")).as((a, i, t, s) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("age", a);
          m.put("income", i);
          m.put("tenure", t);
          m.put("segment", s);
          return m;
        });
    return row.list().ofMinSize(1).ofMaxSize(300);
  }

  static void assertKAnonymous(Dataset in, AnonymizedData out, int k) {
    assertThat(out.data().rowCount()).isEqualTo(in.rowCount());
    Map<List<Double>, Integer> classes = new HashMap<>();
    for (int r = 0; r < out.data().rowCount(); r++) {
      List<Double> key = new ArrayList<>();
      for (String q : List.of("age", "income", "tenure")) {
        key.add(((NumberColumn) out.data().column(q)).asDouble(r));
      }
      classes.merge(key, 1, Integer::sum);
      // Other fields are untouched.
      assertThat(out.data().column("segment").toString()).isNotNull();
    }
    assertThat(classes.values()).allMatch(size -> size >= k);
    Map<?, ?> after = (Map<?, ?>) out.summary().get("riskAfter");
    assertThat((Double) after.get("prosecutorHighest")).isLessThanOrEqualTo(1.0 / k + 1e-6);
    assertThat(after.get("sampleUniques")).isEqualTo(0);
    assertThat((Integer) ((Map<?, ?>) out.summary().get("achieved")).get("k"))
        .isEqualTo(classes.values().stream().mapToInt(Integer::intValue).min().orElseThrow());
  }

  @Property(tries = 200)
  void mondrianReleasesOnlyClassesOfAtLeastK(@ForAll("tables") List<Map<String, Object>> rows,
      @ForAll @IntRange(min = 2, max = 12) int k) {
    checkOrFail(Mondrian.on("age", "income", "tenure").k(k), rows, k);
  }

  @Property(tries = 100)
  void mdavReleasesOnlyClassesOfAtLeastK(@ForAll("tables") List<Map<String, Object>> rows,
      @ForAll @IntRange(min = 2, max = 8) int k) {
    checkOrFail(Mdav.on("age", "income", "tenure").k(k), rows, k);
  }

  static void checkOrFail(Anonymizer a, List<Map<String, Object>> rows, int k) {
    Dataset data = MapReader.read(rows, SCHEMA);
    if (rows.size() < k) {
      assertThatThrownBy(() -> a.anonymize(data))
          .isInstanceOf(AnonymizationFailedException.class)
          .hasMessageContaining(k + "-anonymity");
      return;
    }
    AnonymizedData out = a.anonymize(data);
    assertKAnonymous(data, out, k);
    for (int r = 0; r < rows.size(); r++) {
      assertThat(out.releasedRows()[r]).isEqualTo(r);
      assertThat(out.data().column("segment").isNull(r)).isFalse();
    }
  }

  @Property(tries = 50)
  void mdavGroupsHoldBetweenKAndTwoKMinusOneRowsAndKeepTheMean(
      @ForAll("tables") List<Map<String, Object>> rows, @ForAll @IntRange(min = 2, max = 5) int k) {
    Dataset data = MapReader.read(rows, SCHEMA);
    if (rows.size() < k) {
      return;
    }
    AnonymizedData out = Mdav.on("age", "income", "tenure").k(k).anonymize(data);
    double before = 0;
    double after = 0;
    for (int r = 0; r < rows.size(); r++) {
      before += ((NumberColumn) data.column("income")).asDouble(r);
      after += ((NumberColumn) out.data().column("income")).asDouble(r);
    }
    assertThat(after).isCloseTo(before, org.assertj.core.data.Offset.offset(1e-6 * (1 + before)));
    int groups = (Integer) out.summary().get("groups");
    assertThat(groups).isBetween((rows.size() + 2 * k - 2) / (2 * k - 1), rows.size() / k);
  }

  @Test
  void aQuasiIdentifierLeftOutOrNotNumericIsRejectedByName() {
    Dataset data = MapReader.read(List.of(Map.of("age", 30, "income", 1.0, "tenure", 2,
        "segment", "a")), SCHEMA);
    assertThatThrownBy(() -> Mondrian.on("age", "income").k(2).anonymize(data))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("field 'tenure' is a quasi-identifier but Mondrian was not given it; add "
            + "it, or drop it in the minimize stage");
    assertThatThrownBy(() -> Mdav.on("age", "income", "tenure", "segment").k(2).anonymize(data))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("quasi-identifier 'segment' of MDAV must be NUMERIC or INTEGER but is "
            + "CATEGORICAL");
  }

  @Property(tries = 100)
  void savedCutsReappliedToANewBatchKeepKOrFailNamingIt(
      @ForAll("tables") List<Map<String, Object>> first,
      @ForAll("tables") List<Map<String, Object>> second,
      @ForAll @IntRange(min = 2, max = 6) int k) {
    if (first.size() < k) {
      return;
    }
    Mondrian mondrian = Mondrian.on("age", "income", "tenure").k(k);
    Mondrian.Result made = mondrian.partition(MapReader.read(first, SCHEMA));
    MondrianScheme scheme = MondrianScheme.fromJson(made.scheme().toJson());
    assertThat(scheme).isEqualTo(made.scheme());
    // Re-applied to its own data, the cuts give the same partitions.
    AnonymizedData again = mondrian.withScheme(scheme).anonymize(MapReader.read(first, SCHEMA));
    assertThat(again.summary().get("partitions")).isEqualTo(made.anonymized().summary()
        .get("partitions"));

    Dataset batch = MapReader.read(second, SCHEMA);
    try {
      AnonymizedData out = mondrian.withScheme(scheme).anonymize(batch);
      assertKAnonymous(batch, out, k);
    } catch (AnonymizationFailedException e) {
      assertThat(e.getMessage()).contains(k + "-anonymity");
      if (second.size() >= k) {
        assertThat(e).hasMessageStartingWith("this batch breaks " + k
            + "-anonymity under the saved Mondrian cuts");
      }
    }
  }
}
