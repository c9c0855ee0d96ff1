package dev.privseg.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.core.dataset.StringColumn;
import dev.privseg.core.schema.Field;
import dev.privseg.core.schema.FieldType;
import dev.privseg.core.schema.PrivacyRole;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Groups are exactly those of a map from decoded strings, whatever the hash does. */
class Utf8GroupsProperties {
  private static final Field ID =
      Field.of("id", FieldType.TEXT, PrivacyRole.OTHER).withRequired(false);

  @Property(tries = 200)
  void groupsAreThoseOfAMapOfStrings(@ForAll @IntRange(min = 0, max = 5000) int rows,
      @ForAll @IntRange(min = 1, max = 3000) int distinct, @ForAll @IntRange(min = 0, max = 2)
      int hashing, @ForAll @IntRange(min = 0, max = 100) int expected, @ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    String[] values = new String[rows];
    for (int r = 0; r < rows; r++) {
      int v = random.nextInt(distinct);
      values[r] = random.nextInt(30) == 0 ? null : (v % 3 == 0 ? "ü" : "") + v;
    }
    StringColumn column = StringColumn.of(ID, values);
    // The real hash; one whose tags always collide (the bytes must decide); one constant.
    Utf8Groups.Hash hash = switch (hashing) {
      case 0 -> Utf8Groups::hash;
      case 1 -> (data, offset, length) -> Utf8Groups.hash(data, offset, length) & 0xFFFF;
      default -> (data, offset, length) -> 42;
    };
    List<int[]> seen = new ArrayList<>();
    Utf8Groups[] groups = new Utf8Groups[1];
    groups[0] = new Utf8Groups(expected, (row, group) -> seen.add(new int[] {row, group}), hash);
    column.forEachUtf8(groups[0]::add);
    groups[0].flush();

    Map<String, Integer> reference = new HashMap<>();
    List<Integer> firstRows = new ArrayList<>();
    int at = 0;
    for (int r = 0; r < rows; r++) {
      if (values[r] == null) {
        continue;
      }
      Integer group = reference.get(values[r]);
      if (group == null) {
        group = reference.size();
        reference.put(values[r], group);
        firstRows.add(r);
      }
      assertThat(seen.get(at)).containsExactly(r, group);
      at++;
    }
    assertThat(seen).hasSize(at);
    assertThat(groups[0].groups()).isEqualTo(reference.size());
    for (int g = 0; g < firstRows.size(); g++) {
      assertThat(groups[0].firstRow(g)).isEqualTo(firstRows.get(g));
    }
  }

  @Test
  void valuesMustComeFromOneArray() {
    Utf8Groups groups = new Utf8Groups(4, (row, group) -> { });
    groups.add(0, new byte[] {1}, 0, 1);

    assertThatThrownBy(() -> groups.add(1, new byte[] {1}, 0, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("one column");
  }
}
