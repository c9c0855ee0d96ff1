package dev.privseg.core.release;

import dev.privseg.core.dataset.CategoricalColumn;
import dev.privseg.core.dataset.Column;
import dev.privseg.core.dataset.Dataset;
import dev.privseg.core.dataset.NumberColumn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes segment profiles from the minimized data and the segment labels, suppressing segments
 * below the policy's minimum size before any figure about them is computed. The same threshold
 * holds for every figure inside a released profile: a numeric field's mean and quartiles are
 * released only if at least that many members have a value, and a category's share only if at
 * least that many members have it; rarer categories (missing values included) are pooled as
 * {@code (other)}, itself shown only if it reaches the threshold. A share of a category held by
 * one or two people of a segment would otherwise tell whoever knows them that they are in it.
 */
final class ProfileBuilder {
  private ProfileBuilder() {}

  /** Profiles of {@code data}'s numeric and categorical fields per segment. */
  static Profiles build(Dataset data, int[] labels, int segments, ReleasePolicy policy) {
    int[] sizes = new int[segments];
    for (int l : labels) {
      sizes[l]++;
    }
    // Group rows by segment with a counting sort: members[start[s]..start[s+1]) are segment s.
    int[] start = new int[segments + 1];
    for (int s = 0; s < segments; s++) {
      start[s + 1] = start[s] + sizes[s];
    }
    int[] members = new int[labels.length];
    int[] fill = Arrays.copyOf(start, segments);
    for (int r = 0; r < labels.length; r++) {
      members[fill[labels[r]]++] = r;
    }
    List<SegmentProfile> released = new ArrayList<>();
    List<Integer> suppressed = new ArrayList<>();
    for (int s = 0; s < segments; s++) {
      if (sizes[s] < policy.minSegmentSize()) {
        suppressed.add(s);
        continue;
      }
      List<SegmentProfile.NumericSummary> numeric = new ArrayList<>();
      List<SegmentProfile.CategoryShares> categorical = new ArrayList<>();
      for (Column c : data.columns()) {
        if (c instanceof NumberColumn n && c.field().isNumeric()) {
          numeric.add(summarize(n, members, start[s], start[s + 1], policy.minSegmentSize()));
        } else if (c instanceof CategoricalColumn cat) {
          categorical.add(shares(cat, members, start[s], start[s + 1],
              policy.minSegmentSize()));
        }
      }
      released.add(new SegmentProfile(s, sizes[s], numeric, categorical));
    }
    return new Profiles(released, suppressed, policy.minSegmentSize());
  }

  private static SegmentProfile.NumericSummary summarize(NumberColumn n, int[] members, int from,
      int to, int min) {
    double[] values = new double[to - from];
    int present = 0;
    double sum = 0;
    double chunkSum = 0;
    int chunk = -1;
    for (int i = from; i < to; i++) {
      int r = members[i]; // ascending: the counting sort keeps row order
      if (!n.isNull(r)) {
        double v = n.asDouble(r);
        values[present++] = v;
        if (r / ExactFigures.SUM_CHUNK != chunk) {
          sum += chunkSum;
          chunkSum = 0;
          chunk = r / ExactFigures.SUM_CHUNK;
        }
        chunkSum += v;
      }
    }
    sum += chunkSum;
    if (present == 0 || present < min) {
      return ExactFigures.numeric(n.name(), present, sum, null, min);
    }
    Arrays.sort(values, 0, present);
    long[] positions = ExactFigures.quartilePositions(present);
    double[] at = new double[positions.length];
    for (int i = 0; i < at.length; i++) {
      at[i] = values[(int) positions[i]];
    }
    return ExactFigures.numeric(n.name(), present, sum, at, min);
  }

  private static SegmentProfile.CategoryShares shares(CategoricalColumn c, int[] members, int from,
      int to, int min) {
    long[] counts = new long[c.cardinality()];
    long missing = 0;
    for (int i = from; i < to; i++) {
      int code = c.code(members[i]);
      if (code < 0) {
        missing++;
      } else {
        counts[code]++;
      }
    }
    return ExactFigures.categorical(c.name(), c.dictionary(), counts, missing, to - from, min);
  }
}
