package dev.privseg.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** {@link SubjectIds#firstRepeat} finds what a plain map of ids finds. */
class SubjectIdsProperties {
  static final Field ID = new Field("id", FieldType.IDENTIFIER, PrivacyRole.DIRECT_IDENTIFIER,
      true, List.of());

  @Property(tries = 500)
  void findsTheFirstRepeatedIdAmongTheRowsItIsGiven(
      @ForAll @Size(max = 200) List<@StringLength(max = 3) String> values,
      @ForAll @IntRange(min = 1, max = 4) int everyNth) {
    StringColumn ids = StringColumn.of(ID, values.toArray(String[]::new));
    int[] rows = IntStream.range(0, values.size()).filter(r -> r % everyNth == 0).toArray();

    Map<String, Integer> firstRow = new HashMap<>();
    int[] expected = null;
    for (int r : rows) {
      Integer earlier = firstRow.putIfAbsent(values.get(r), r);
      if (earlier != null) {
        expected = new int[] {earlier, r};
        break;
      }
    }

    assertThat(SubjectIds.firstRepeat(ids, rows)).isEqualTo(expected);
  }

  @Property(tries = 300)
  void findsOneRepeatAnywhereInALongColumn(
      @ForAll @IntRange(min = 2, max = 3_000) int n,
      @ForAll @IntRange(min = 0, max = 2_999) int first,
      @ForAll @IntRange(min = 0, max = 2_999) int second) {
    int a = Math.min(first, second) % n;
    int b = Math.max(first, second) % n;
    String[] values = new String[n];
    for (int i = 0; i < n; i++) {
      values[i] = "C" + i;
    }
    if (a != b) {
      values[b] = values[a];
    }
    StringColumn ids = StringColumn.of(ID, values);
    int[] rows = IntStream.range(0, n).toArray();

    int[] expected = a == b ? null : new int[] {Math.min(a, b), Math.max(a, b)};
    assertThat(SubjectIds.firstRepeat(ids, rows)).isEqualTo(expected);
  }
}
