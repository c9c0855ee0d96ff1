package dev.privseg.consent.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.core.release.Assignments;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Memberships are inserted in exactly the order a comparator sort of the pseudonyms gives. */
class PseudonymOrderProperties {

  @Property(tries = 300)
  void theOrderIsThatOfSortingByPseudonym(@ForAll @IntRange(min = 0, max = 2000) int n,
      @ForAll @IntRange(min = 0, max = 8) int length, @ForAll @IntRange(min = 0, max = 2) int alphabet,
      @ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    // Alphabets: a few letters (long shared prefixes and repeats); any char, beyond Latin-1
    // and above 127 first; base64url as pseudonyms are.
    String[] pseudonyms = new String[n];
    for (int i = 0; i < n; i++) {
      StringBuilder s = new StringBuilder();
      int size = random.nextInt(length + 1) + (alphabet == 2 ? 1 : 0);
      for (int j = 0; j < size; j++) {
        s.append(switch (alphabet) {
          case 0 -> (char) ('a' + random.nextInt(3));
          case 1 -> (char) random.nextInt(0x3000);
          default -> "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
              .charAt(random.nextInt(64));
        });
      }
      pseudonyms[i] = s.length() == 0 ? "x" : s.toString();
    }
    Assignments a = new Assignments(pseudonyms, new int[n]);

    Integer[] expected = new Integer[n];
    Arrays.setAll(expected, i -> i);
    Arrays.sort(expected, Comparator.comparing(a::pseudonym));
    assertThat(JdbcMembershipRegistry.inPseudonymOrder(a))
        .containsExactly(Arrays.stream(expected).mapToInt(Integer::intValue).toArray());
  }
}
