package dev.privseg.anonymization.microaggregation;

import dev.privseg.anonymization.internal.ClassView;
import dev.privseg.anonymization.internal.Models;
import dev.privseg.anonymization.internal.NumericQis;
import dev.privseg.anonymization.model.PrivacyModel;
import dev.privseg.core.Checks;
import dev.privseg.core.anonymize.AnonymizationFailedException;
import dev.privseg.core.anonymize.AnonymizedData;
import dev.privseg.core.anonymize.Anonymizer;
import dev.privseg.core.dataset.Dataset;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MDAV microaggregation (Maximum Distance to Average Vector; Domingo-Ferrer and Mateo-Sanz 2002,
 * as in sdcMicro): numeric quasi-identifiers, standardized, are grouped into groups of k to
 * 2k - 1 nearby rows, and each row's values are replaced by its group's mean. Every released row
 * then shares its quasi-identifier values with at least k - 1 others (k-anonymity), while means
 * and the shape of the data, what segmentation needs, are kept.
 *
 * <p>Each round takes the row farthest from the centroid of the remaining rows and the row
 * farthest from that one, and groups each with its k - 1 nearest neighbours. With other
 * {@link #model models} (l-diversity, t-closeness, any {@link PrivacyModel}), a group that breaks
 * one is merged into the group with the nearest centroid until every group meets every model; a
 * k-map model is checked with each group's own rows as its population matches, a lower bound.
 * Information loss is reported as SSE / SST on the standardized values (0 = nothing changed).
 *
 * <pre>{@code
 * .anonymize(Mdav.on("age", "income", "tenure", "orders", "spend").k(3)
 *     .model(PrivacyModel.distinctLDiversity("churned", 2)))
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Mdav implements Anonymizer {
  private final List<String> fields;
  private final int k;
  /** The models beside k-anonymity. */
  private final List<PrivacyModel> models;

  private Mdav(List<String> fields, int k, List<PrivacyModel> models) {
    this.fields = fields;
    this.k = k;
    this.models = models;
  }

  /** MDAV on the numeric quasi-identifiers {@code fields}, with k = 3 until {@link #k} is set. */
  public static Mdav on(String... fields) {
    Checks.check(fields.length > 0, "MDAV needs at least one quasi-identifier");
    List<String> list = List.of(fields);
    Checks.check(list.stream().distinct().count() == list.size(),
        "MDAV's quasi-identifiers must be distinct");
    return new Mdav(list, 3, List.of());
  }

  /** The smallest group size. */
  public Mdav k(int k) {
    return new Mdav(fields, Checks.atLeast(k, 2, "k of MDAV"), models);
  }

  /** This MDAV also meeting {@code model} in every group. */
  public Mdav model(PrivacyModel model) {
    return new Mdav(fields, k, Models.plus(models, model));
  }

  /** Every model a group must meet: k-anonymity, then the others in the order given. */
  public List<PrivacyModel> models() {
    return Models.withK(k, models);
  }

  @Override
  public String description() {
    return "MDAV microaggregation";
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("models", Models.criteria(models()));
    p.put("quasiIdentifiers", fields);
    p.put("recoding", "group mean");
    return p;
  }

  @Override
  public AnonymizedData anonymize(Dataset data) {
    long started = System.nanoTime();
    NumericQis qis = NumericQis.of(data, fields, "MDAV");
    List<PrivacyModel> all = models();
    Models.check(all, data, fields);
    int n = qis.rows;
    if (n < k) {
      throw new AnonymizationFailedException("MDAV cannot meet " + k + "-anonymity: the table "
          + "has fewer than " + k + " rows");
    }
    ClassView view = Models.view(all, data);
    int[] everyRow = new int[n];
    Arrays.setAll(everyRow, r -> r);
    PrivacyModel broken = Models.broken(all, view, everyRow, 0, n);
    if (broken != null) {
      throw new AnonymizationFailedException("MDAV cannot meet " + broken.criterion()
          + ": the whole table breaks it");
    }
    int d = fields.size();
    // Standardized, row-major copy: distances treat every field alike.
    double[] mean = new double[d];
    double[] sd = new double[d];
    for (int q = 0; q < d; q++) {
      double sum = 0;
      for (double v : qis.values[q]) {
        sum += v;
      }
      mean[q] = sum / n;
      double ss = 0;
      for (double v : qis.values[q]) {
        ss += (v - mean[q]) * (v - mean[q]);
      }
      sd[q] = Math.sqrt(ss / n);
    }
    double[] x = new double[n * d];
    for (int r = 0; r < n; r++) {
      for (int q = 0; q < d; q++) {
        x[r * d + q] = sd[q] > 0 ? (qis.values[q][r] - mean[q]) / sd[q] : 0;
      }
    }
    int[] group = mergeUntilModelsHold(new Grouper(x, n, d, k).groups(), x, d, view);

    int groups = 0;
    for (int g : group) {
      groups = Math.max(groups, g + 1);
    }
    double[][] sums = new double[groups][d];
    int[] sizes = new int[groups];
    for (int r = 0; r < n; r++) {
      sizes[group[r]]++;
      for (int q = 0; q < d; q++) {
        sums[group[r]][q] += qis.values[q][r];
      }
    }
    double[][] recoded = new double[d][n];
    double sse = 0;
    double sst = 0;
    for (int r = 0; r < n; r++) {
      int g = group[r];
      for (int q = 0; q < d; q++) {
        double m = sums[g][q] / sizes[g];
        recoded[q][r] = m;
        if (sd[q] > 0) {
          double z = (qis.values[q][r] - m) / sd[q];
          sse += z * z;
          sst += x[r * d + q] * x[r * d + q];
        }
      }
    }
    return qis.release(data, recoded, all, view, "groups", groups, "SSE/SST",
        sst == 0 ? 0 : sse / sst, started, "carries its group's means");
  }

  /**
   * Merges each group that breaks a model into the live group with the nearest centroid (in the
   * standardized space) until every group holds; returns dense group ids. Terminates because each
   * merge removes a group and the whole table holds.
   */
  private static int[] mergeUntilModelsHold(int[] group, double[] x, int d, ClassView view) {
    int n = group.length;
    int g = 0;
    for (int id : group) {
      g = Math.max(g, id + 1);
    }
    int[] head = new int[g];
    Arrays.fill(head, -1);
    int[] next = new int[n];
    int[] size = new int[g];
    double[] centroid = new double[g * d];
    for (int r = 0; r < n; r++) {
      int a = group[r];
      next[r] = head[a];
      head[a] = r;
      size[a]++;
      for (int q = 0; q < d; q++) {
        centroid[a * d + q] += x[r * d + q];
      }
    }
    for (int a = 0; a < g; a++) {
      for (int q = 0; q < d; q++) {
        centroid[a * d + q] /= size[a];
      }
    }
    boolean[] merged = new boolean[g];
    int[] members = new int[n];
    ArrayDeque<Integer> failing = new ArrayDeque<>();
    for (int a = 0; a < g; a++) {
      if (!holds(a, head, next, size, members, view)) {
        failing.add(a);
      }
    }
    while (!failing.isEmpty()) {
      int a = failing.poll();
      if (merged[a] || holds(a, head, next, size, members, view)) {
        continue;
      }
      int b = -1;
      double best = Double.POSITIVE_INFINITY;
      for (int o = 0; o < g; o++) {
        if (o == a || merged[o]) {
          continue;
        }
        double dist = 0;
        for (int q = 0; q < d; q++) {
          double diff = centroid[a * d + q] - centroid[o * d + q];
          dist += diff * diff;
        }
        if (dist < best) {
          best = dist;
          b = o;
        }
      }
      if (b < 0) {
        throw new IllegalStateException("the last group breaks a model the whole table meets");
      }
      for (int q = 0; q < d; q++) {
        centroid[b * d + q] = (centroid[b * d + q] * size[b] + centroid[a * d + q] * size[a])
            / (size[a] + size[b]);
      }
      for (int r = head[a]; r >= 0; ) {
        int following = next[r];
        group[r] = b;
        next[r] = head[b];
        head[b] = r;
        r = following;
      }
      size[b] += size[a];
      size[a] = 0;
      head[a] = -1;
      merged[a] = true;
      if (!holds(b, head, next, size, members, view)) {
        failing.add(b);
      }
    }
    int[] dense = new int[g];
    int live = 0;
    for (int a = 0; a < g; a++) {
      dense[a] = merged[a] ? -1 : live++;
    }
    for (int r = 0; r < n; r++) {
      group[r] = dense[group[r]];
    }
    return group;
  }

  private static boolean holds(int a, int[] head, int[] next, int[] size, int[] members,
      ClassView view) {
    int m = 0;
    for (int r = head[a]; r >= 0; r = next[r]) {
      members[m++] = r;
    }
    return Models.holds(view, members, 0, size[a]);
  }

  /** The MDAV rounds over a shrinking set of remaining rows (swap-removed, no allocation). */
  private static final class Grouper {
    private final double[] x;
    private final int d;
    private final int k;
    private final int[] remaining;
    private int left;
    private final int[] group;
    private int groups;
    private final double[] centroidSum;
    private final int[] nearest;
    private final double[] nearestDist;

    Grouper(double[] x, int n, int d, int k) {
      this.x = x;
      this.d = d;
      this.k = k;
      this.remaining = new int[n];
      this.group = new int[n];
      this.centroidSum = new double[d];
      this.nearest = new int[k];
      this.nearestDist = new double[k];
      for (int r = 0; r < n; r++) {
        remaining[r] = r;
        for (int q = 0; q < d; q++) {
          centroidSum[q] += x[r * d + q];
        }
      }
      this.left = n;
    }

    int[] groups() {
      double[] c = new double[d];
      while (left >= 3 * k) {
        for (int q = 0; q < d; q++) {
          c[q] = centroidSum[q] / left;
        }
        int r = farthestFrom(c);
        double[] rv = row(r);
        // One pass finds both the row farthest from r and r's k nearest.
        double[] sv = row(takeNearest(rv));
        takeNearest(sv);
      }
      if (left >= 2 * k) {
        for (int q = 0; q < d; q++) {
          c[q] = centroidSum[q] / left;
        }
        takeNearest(row(farthestFrom(c)));
      }
      if (left > 0) {
        for (int i = 0; i < left; i++) {
          group[remaining[i]] = groups;
        }
        groups++;
        left = 0;
      }
      return group;
    }

    private double[] row(int r) {
      double[] v = new double[d];
      System.arraycopy(x, r * d, v, 0, d);
      return v;
    }

    private double distance(int r, double[] to) {
      double sum = 0;
      int base = r * d;
      for (int q = 0; q < d; q++) {
        double diff = x[base + q] - to[q];
        sum += diff * diff;
      }
      return sum;
    }

    private int farthestFrom(double[] point) {
      int best = remaining[0];
      double bestDist = -1;
      for (int i = 0; i < left; i++) {
        int r = remaining[i];
        double dist = distance(r, point);
        if (dist > bestDist) {
          bestDist = dist;
          best = r;
        }
      }
      return best;
    }

    /**
     * Groups the k remaining rows nearest to {@code point} (the row itself included) and returns
     * the row that was farthest from it.
     */
    private int takeNearest(double[] point) {
      // A max-heap of the k nearest positions in remaining[], by distance.
      int size = 0;
      int farthest = remaining[0];
      double farthestDist = -1;
      for (int i = 0; i < left; i++) {
        double dist = distance(remaining[i], point);
        if (dist > farthestDist) {
          farthestDist = dist;
          farthest = remaining[i];
        }
        if (size < k) {
          nearest[size] = i;
          nearestDist[size] = dist;
          siftUp(size++);
        } else if (dist < nearestDist[0]) {
          nearest[0] = i;
          nearestDist[0] = dist;
          siftDown(size);
        }
      }
      // Remove the chosen positions from the highest down so swap-removal keeps them valid.
      int[] positions = java.util.Arrays.copyOf(nearest, size);
      java.util.Arrays.sort(positions);
      for (int j = size - 1; j >= 0; j--) {
        int pos = positions[j];
        int r = remaining[pos];
        group[r] = groups;
        for (int q = 0; q < d; q++) {
          centroidSum[q] -= x[r * d + q];
        }
        remaining[pos] = remaining[--left];
      }
      groups++;
      return farthest;
    }

    private void siftUp(int i) {
      while (i > 0) {
        int parent = (i - 1) / 2;
        if (nearestDist[i] <= nearestDist[parent]) {
          return;
        }
        swap(i, parent);
        i = parent;
      }
    }

    private void siftDown(int size) {
      int i = 0;
      while (true) {
        int l = 2 * i + 1;
        int largest = i;
        if (l < size && nearestDist[l] > nearestDist[largest]) {
          largest = l;
        }
        if (l + 1 < size && nearestDist[l + 1] > nearestDist[largest]) {
          largest = l + 1;
        }
        if (largest == i) {
          return;
        }
        swap(i, largest);
        i = largest;
      }
    }

    private void swap(int a, int b) {
      int t = nearest[a];
      nearest[a] = nearest[b];
      nearest[b] = t;
      double u = nearestDist[a];
      nearestDist[a] = nearestDist[b];
      nearestDist[b] = u;
    }
  }

  @Override
  public String toString() {
    return "Mdav" + parameters();
  }
}
