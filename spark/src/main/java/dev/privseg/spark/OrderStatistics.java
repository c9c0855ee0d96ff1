package dev.privseg.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;

/**
 * Exact order statistics of values in groups, found on the executors without sorting them: the
 * value at each wanted position among a group's values in ascending order ({@link Double#compare},
 * so {@code -0.0} comes before {@code 0.0}). Values are compared by their bits, made to sort as
 * unsigned numbers; each pass counts, for every position still sought, the values under its
 * known leading bits by their next {@link #BITS} bits (a few kilobytes per position), and once
 * at most {@code fetchBelow} values share the leading bits of a position they are fetched and
 * the value picked on the driver. So a position costs at most eight passes over the values, and
 * in practice three or four, whatever their number; the counts are integers, added in any order,
 * so the answer does not depend on partitions.
 */
final class OrderStatistics {
  /** Bits of a value's key resolved per pass. */
  static final int BITS = 8;
  /** Values fetched to the driver at once, at most, per position sought. */
  static final int FETCH_BELOW = 4096;

  private OrderStatistics() {}

  /** Hands each of an item's values, with its group, to a sink; runs on the executors. */
  @FunctionalInterface
  interface Values<T> extends Serializable {
    /** Calls {@code sink} once per value of {@code item}. */
    void each(T item, Sink sink);
  }

  /** Receives values. */
  @FunctionalInterface
  interface Sink {
    /** One value of group {@code group}. */
    void accept(int group, double value);
  }

  /**
   * The values at {@code positions[g]} (from 0, each below {@code sizes[g]}) among group
   * {@code g}'s values in ascending order, as {@code out[g][i]}; a group without positions
   * (null) gets null.
   *
   * @param sizes the number of values of each group (counted before)
   * @param fetchBelow values fetched to the driver, at most, for one position
   * @throws dev.privseg.core.ConfigurationException if the values change between passes
   */
  static <T> double[][] select(JavaRDD<T> data, Values<T> values, long[] sizes,
      long[][] positions, int fetchBelow) {
    int groups = sizes.length;
    double[][] out = new double[groups][];
    List<Sought> open = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      if (positions[g] != null) {
        out[g] = new double[positions[g].length];
        for (int i = 0; i < positions[g].length; i++) {
          open.add(new Sought(g, i, positions[g][i], sizes[g]));
        }
      }
    }
    while (!open.isEmpty()) {
      // One query per distinct (group, leading bits): positions that share them share a pass.
      Map<List<Long>, Integer> index = new HashMap<>();
      List<Query> queries = new ArrayList<>();
      for (Sought s : open) {
        List<Long> id = List.of((long) s.group, s.prefix, (long) s.bits);
        if (!index.containsKey(id)) {
          index.put(id, queries.size());
          queries.add(new Query(s.group, s.prefix, s.bits, s.count <= fetchBelow));
        }
      }
      Query[] asked = queries.toArray(Query[]::new);
      int[][] byGroup = byGroup(asked, groups);
      List<Found> parts = SparkErrors.action(data.mapPartitions(items -> {
        Found found = new Found(asked);
        Sink sink = (g, v) -> found.add(byGroup[g], asked, key(v), v);
        while (items.hasNext()) {
          values.each(items.next(), sink);
        }
        return List.of(found).iterator();
      })::collect);
      Found total = new Found(asked);
      parts.forEach(total::add);
      List<Sought> next = new ArrayList<>();
      for (Sought s : open) {
        int q = index.get(List.of((long) s.group, s.prefix, (long) s.bits));
        if (asked[q].fetch) {
          double[] fetched = total.fetched[q].toArray();
          if (fetched.length != s.count) {
            throw changed();
          }
          sortByKey(fetched);
          out[s.group][s.slot] = fetched[(int) s.rank];
        } else {
          Sought narrower = s.narrowed(total.counts[q]);
          if (narrower.bits == Long.SIZE) {
            out[s.group][s.slot] = value(narrower.prefix);
          } else {
            next.add(narrower);
          }
        }
      }
      open = next;
    }
    return out;
  }

  /** Per group, the queries about it. */
  private static int[][] byGroup(Query[] queries, int groups) {
    int[] count = new int[groups];
    for (Query q : queries) {
      count[q.group]++;
    }
    int[][] out = new int[groups][];
    for (int g = 0; g < groups; g++) {
      out[g] = new int[count[g]];
      count[g] = 0;
    }
    for (int q = 0; q < queries.length; q++) {
      out[queries[q].group][count[queries[q].group]++] = q;
    }
    return out;
  }

  /** A value's key: its bits, made to sort as unsigned numbers in {@link Double#compare} order. */
  static long key(double value) {
    long bits = Double.doubleToLongBits(value);
    return bits ^ ((bits >> 63) | Long.MIN_VALUE);
  }

  /** The value of a key. */
  static double value(long key) {
    return Double.longBitsToDouble(key < 0 ? key ^ Long.MIN_VALUE : ~key);
  }

  private static void sortByKey(double[] values) {
    long[] keys = new long[values.length];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = key(values[i]) ^ Long.MIN_VALUE; // unsigned order as signed
    }
    Arrays.sort(keys);
    for (int i = 0; i < keys.length; i++) {
      values[i] = value(keys[i] ^ Long.MIN_VALUE);
    }
  }

  private static dev.privseg.core.ConfigurationException changed() {
    return new dev.privseg.core.ConfigurationException("the values changed between Spark's "
        + "jobs; make the input deterministic (cache or checkpoint it) before running");
  }

  /**
   * A position sought: {@code rank} among the {@code count} values of group {@code group} whose
   * keys start with the {@code bits} bits {@code prefix}.
   */
  private record Sought(int group, int slot, long rank, long count, long prefix, int bits) {
    Sought(int group, int slot, long position, long size) {
      this(group, slot, position, size, 0, 0);
    }

    /** The same position among the values under the next bits, from their counts. */
    Sought narrowed(long[] counts) {
      long before = 0;
      for (int b = 0; b < counts.length; b++) {
        if (rank < before + counts[b]) {
          return new Sought(group, slot, rank - before, counts[b], (prefix << BITS) | b,
              bits + BITS);
        }
        before += counts[b];
      }
      throw changed();
    }
  }

  /** What a pass asks about one group's values under leading bits: their counts, or them. */
  private record Query(int group, long prefix, int bits, boolean fetch) implements Serializable {
    boolean covers(long key) {
      return bits == 0 || key >>> (Long.SIZE - bits) == prefix;
    }

    int next(long key) {
      return (int) ((key << bits) >>> (Long.SIZE - BITS));
    }
  }

  /** A pass's answers: per query, counts by the next bits, or the values fetched. */
  private static final class Found implements Serializable {
    private static final long serialVersionUID = 1L;
    final long[][] counts;
    final Doubles[] fetched;

    Found(Query[] queries) {
      counts = new long[queries.length][];
      fetched = new Doubles[queries.length];
      for (int q = 0; q < queries.length; q++) {
        if (queries[q].fetch) {
          fetched[q] = new Doubles();
        } else {
          counts[q] = new long[1 << BITS];
        }
      }
    }

    void add(int[] queries, Query[] asked, long key, double value) {
      for (int q : queries) {
        Query query = asked[q];
        if (query.covers(key)) {
          if (query.fetch) {
            fetched[q].add(value);
          } else {
            counts[q][query.next(key)]++;
          }
        }
      }
    }

    void add(Found other) {
      for (int q = 0; q < counts.length; q++) {
        if (counts[q] != null) {
          for (int b = 0; b < counts[q].length; b++) {
            counts[q][b] += other.counts[q][b];
          }
        } else {
          fetched[q].addAll(other.fetched[q]);
        }
      }
    }
  }

  /** A growing list of doubles. */
  private static final class Doubles implements Serializable {
    private static final long serialVersionUID = 1L;
    private double[] values = new double[16];
    private int size;

    void add(double v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    void addAll(Doubles other) {
      for (int i = 0; i < other.size; i++) {
        add(other.values[i]);
      }
    }

    double[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
