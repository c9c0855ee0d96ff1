package dev.privseg.anonymization.search;

import dev.privseg.anonymization.internal.LongIntMap;
import dev.privseg.anonymization.model.PrivacyModel;
import dev.privseg.anonymization.utility.LossMetric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The optimal full-domain generalization search over one {@link Encoding}. Nodes of the lattice
 * are generalization levels per quasi-identifier, numbered in mixed radix. A node's classes are
 * rolled up from the classes of a finer node already computed (or from the bottom classes), never
 * recounted from rows. Not thread-safe: one engine per search.
 */
final class Engine {
  private static final byte UNKNOWN = 0;
  private static final byte ANONYMOUS = 1;
  private static final byte NOT_ANONYMOUS = 2;
  /** Resolution of the quantized bounds that order the visit (bounds lie in [0, 1]). */
  private static final double QUANTUM = 0x1p37;
  /** Roll-up sources kept, bounded by the ints they hold. */
  private static final long CACHE_INTS = 32L << 20;

  final Encoding enc;
  final List<PrivacyModel> models;
  final LossMetric metric;
  final double suppressionLimit;
  final int maxSuppressed;
  final int[] strides;
  final int size;
  private final boolean monotone;
  /** The k of a k-map model, or 0. */
  private final int kMap;
  private final LongIntMap index = new LongIntMap();
  private final Map<Integer, Classes> cache = new LinkedHashMap<>(16, 0.75f, true);
  private long cachedInts;
  private final Classes bottomClasses;
  int evaluations;

  /**
   * The equivalence classes of one node: their sizes and a representative bottom class each. Which
   * bottom class lies in which node class is computed only when needed ({@link #ofBottom}).
   */
  static final class Classes {
    final int node;
    final int count;
    final int[] size;
    /** A bottom class in each node class. */
    final int[] rep;

    Classes(int node, int count, int[] size, int[] rep) {
      this.node = node;
      this.count = count;
      this.size = size;
      this.rep = rep;
    }
  }

  /** What one node achieves. */
  static final class Eval {
    final int node;
    final Classes classes;
    final boolean[] failing;
    final int suppressed;
    final boolean anonymous;
    final double loss;

    Eval(int node, Classes classes, boolean[] failing, int suppressed, boolean anonymous,
        double loss) {
      this.node = node;
      this.classes = classes;
      this.failing = failing;
      this.suppressed = suppressed;
      this.anonymous = anonymous;
      this.loss = loss;
    }
  }

  Engine(Encoding enc, List<PrivacyModel> models, LossMetric metric, double suppressionLimit) {
    this.enc = enc;
    this.models = models;
    this.metric = metric;
    this.suppressionLimit = suppressionLimit;
    this.maxSuppressed = (int) Math.floor(suppressionLimit * enc.rows + 1e-9);
    this.strides = new int[enc.qis];
    long s = 1;
    for (int q = enc.qis - 1; q >= 0; q--) {
      strides[q] = (int) s;
      s *= enc.heights[q];
      if (s > 1 << 26) {
        throw new dev.privseg.core.ConfigurationException("the generalization lattice of "
            + Arrays.toString(enc.names) + " has more than 67,108,864 nodes; use fewer "
            + "quasi-identifiers or shallower hierarchies");
      }
    }
    this.size = (int) s;
    boolean allMonotone = true;
    for (PrivacyModel m : models) {
      allMonotone &= m.monotoneWithSuppression();
    }
    this.monotone = allMonotone || maxSuppressed == 0;
    int km = 0;
    for (PrivacyModel m : models) {
      if (m instanceof PrivacyModel.KMap k) {
        km = Math.max(km, k.k());
      }
    }
    this.kMap = km;
    int[] identity = new int[enc.bottom];
    for (int b = 0; b < enc.bottom; b++) {
      identity[b] = b;
    }
    bottomClasses = new Classes(-1, enc.bottom, enc.bottomSize, identity);
  }

  int level(int node, int q) {
    return node / strides[q] % enc.heights[q];
  }

  int[] levels(int node) {
    int[] out = new int[enc.qis];
    for (int q = 0; q < enc.qis; q++) {
      out[q] = level(node, q);
    }
    return out;
  }

  int node(int[] levels) {
    int node = 0;
    for (int q = 0; q < enc.qis; q++) {
      node += levels[q] * strides[q];
    }
    return node;
  }

  int top() {
    return size - 1;
  }

  /** A lower bound of the node's loss that needs no classes (exact when nothing is suppressed). */
  double lowerBound(int node) {
    if (!metric.isCellAdditive() || enc.costNorm == 0) {
      return 0;
    }
    double sum = 0;
    for (int q = 0; q < enc.qis; q++) {
      sum += enc.levelCost[q][level(node, q)];
    }
    return sum / enc.costNorm;
  }

  /** Finds the node of least loss that meets every model; -1 if none does. */
  Eval search() {
    double[] lb = new double[size];
    // Visit order: by the bound quantized to 2^-37, then by node number, as one primitive sort
    // (no boxed nodes). Quantizing can misorder bounds closer than 2^-37; the stop test below
    // allows for that.
    long[] order = new long[size];
    for (int node = 0; node < size; node++) {
      lb[node] = lowerBound(node);
      order[node] = ((long) Math.floor(lb[node] * QUANTUM) << 26) | node;
    }
    Arrays.sort(order);
    byte[] state = new byte[size];
    Eval best = null;
    for (long entry : order) {
      int node = (int) (entry & ((1 << 26) - 1));
      if (best != null && lb[node] >= best.loss + 2 / QUANTUM) {
        break; // every later node's bound is at least lb[node] - 1 / QUANTUM > best.loss
      }
      if (best != null && lb[node] >= best.loss) {
        continue; // cannot beat the best, but a later one might still sort before the stop
      }
      if (state[node] == NOT_ANONYMOUS) {
        continue;
      }
      Eval probed = null;
      if (state[node] == UNKNOWN && monotone) {
        probed = probe(node, lb, state);
        if (state[node] == NOT_ANONYMOUS) {
          continue;
        }
      }
      // With no suppression a cell-additive loss equals its bound: the first anonymous node
      // visited is the best, and the stop test ends the search right after its bucket.
      Eval e = probed != null ? probed : evaluate(node);
      if (e.anonymous) {
        if (monotone) {
          tag(node, state, ANONYMOUS, +1);
        }
        if (best == null || e.loss < best.loss) {
          best = e;
        }
      } else if (monotone) {
        tag(node, state, NOT_ANONYMOUS, -1);
      } else {
        state[node] = NOT_ANONYMOUS;
      }
    }
    return best;
  }

  /**
   * Settles the anonymity of {@code node} by a binary search along a path from it to the top,
   * each step generalizing the field whose next level adds the least loss. The lowest anonymous
   * node found tags its successors; the highest failing one tags its predecessors, which prunes
   * far more than checking the nodes one by one in loss order (the idea of ARX's Flash).
   * Returns the evaluation of {@code node} itself if the search made one, else null.
   */
  private Eval probe(int node, double[] lb, byte[] state) {
    int[] path = new int[1];
    int length = 0;
    int current = node;
    path[length++] = current;
    while (current != top()) {
      int bestNext = -1;
      for (int q = 0; q < enc.qis; q++) {
        if (level(current, q) + 1 < enc.heights[q]) {
          int next = current + strides[q];
          if (bestNext < 0 || lb[next] < lb[bestNext]) {
            bestNext = next;
          }
        }
      }
      current = bestNext;
      if (length == path.length) {
        path = Arrays.copyOf(path, length * 2);
      }
      path[length++] = current;
    }
    int lo = 0;
    int hi = length - 1;
    Eval start = null;
    // Invariant: nodes before lo fail; nodes after hi hold.
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int n = path[mid];
      boolean holds;
      if (state[n] == UNKNOWN) {
        Eval e = evaluate(n);
        holds = e.anonymous;
        tag(n, state, holds ? ANONYMOUS : NOT_ANONYMOUS, holds ? +1 : -1);
        if (mid == 0) {
          start = e;
        }
      } else {
        holds = state[n] == ANONYMOUS;
      }
      if (holds) {
        hi = mid - 1;
      } else {
        lo = mid + 1;
      }
    }
    return start;
  }


  /** Marks the node and all its successors (+1) or predecessors (-1). */
  private void tag(int node, byte[] state, byte value, int direction) {
    int[] stack = new int[64];
    int top = 0;
    stack[top++] = node;
    state[node] = value;
    while (top > 0) {
      int n = stack[--top];
      for (int q = 0; q < enc.qis; q++) {
        int l = level(n, q) + direction;
        if (l < 0 || l >= enc.heights[q]) {
          continue;
        }
        int next = n + direction * strides[q];
        if (state[next] != value) {
          state[next] = value;
          if (top == stack.length) {
            stack = Arrays.copyOf(stack, top * 2);
          }
          stack[top++] = next;
        }
      }
    }
  }

  /** Evaluates one node: its classes, which fail the models, the rows to suppress, the loss. */
  Eval evaluate(int node) {
    evaluations++;
    Classes cl = classes(node);
    boolean[] failing = new boolean[cl.count];
    int suppressed = 0;
    long[] population = kMap > 0 ? populationCounts(cl) : null;
    for (int c = 0; c < cl.count; c++) {
      if (!sizeModelsHold(cl.size[c]) || population != null && population[c] < kMap) {
        failing[c] = true;
        suppressed += cl.size[c];
      }
    }
    if (suppressed <= maxSuppressed && !enc.sensitive.isEmpty()) {
      suppressed = sensitiveModels(cl, failing, suppressed);
    }
    boolean anonymous = suppressed <= maxSuppressed;
    double loss = anonymous ? loss(node, cl, failing, suppressed) : Double.NaN;
    return new Eval(node, cl, failing, suppressed, anonymous, loss);
  }

  private boolean sizeModelsHold(int classSize) {
    for (PrivacyModel m : models) {
      if (m instanceof PrivacyModel.KAnonymity k && classSize < k.k()) {
        return false;
      }
    }
    return true;
  }

  /** Checks the sensitive-value models class by class; returns the new suppressed count. */
  private int sensitiveModels(Classes cl, boolean[] failing, int suppressed) {
    int[] ofBottom = ofBottom(cl);
    int[] start = new int[cl.count + 1];
    int[] members = members(cl, ofBottom, start);
    Histogram[] hist = new Histogram[enc.sensitive.size()];
    for (int s = 0; s < hist.length; s++) {
      hist[s] = new Histogram(enc.sensitive.get(s));
    }
    for (int c = 0; c < cl.count && suppressed <= maxSuppressed; c++) {
      if (failing[c]) {
        continue;
      }
      boolean holds = true;
      for (int s = 0; s < hist.length && holds; s++) {
        hist[s].fill(members, start[c], start[c + 1]);
        holds = sensitiveModelsHold(hist[s], cl.size[c]);
        hist[s].clear();
      }
      if (!holds) {
        failing[c] = true;
        suppressed += cl.size[c];
      }
    }
    return suppressed;
  }

  private boolean sensitiveModelsHold(Histogram h, int classSize) {
    for (PrivacyModel m : models) {
      if (!h.sensitive.field.equals(m.sensitiveField())) {
        continue;
      }
      if (m instanceof PrivacyModel.DistinctLDiversity d) {
        if (h.distinct < d.l()) {
          return false;
        }
      } else if (m instanceof PrivacyModel.EntropyLDiversity e) {
        if (h.entropy(classSize) < Math.log(e.l()) - 1e-12) {
          return false;
        }
      } else if (m instanceof PrivacyModel.RecursiveLDiversity r) {
        if (!h.recursive(r.c(), r.l())) {
          return false;
        }
      } else if (m instanceof PrivacyModel.TCloseness t) {
        if (h.distance(classSize) > t.t() + 1e-12) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * The bottom classes of each node class, grouped: class {@code c}'s are
   * {@code members[start[c]] .. members[start[c + 1] - 1]} ({@code start} is filled in).
   */
  int[] members(Classes cl, int[] ofBottom, int[] start) {
    for (int b = 0; b < enc.bottom; b++) {
      start[ofBottom[b] + 1]++;
    }
    for (int c = 0; c < cl.count; c++) {
      start[c + 1] += start[c];
    }
    int[] fill = Arrays.copyOf(start, cl.count);
    int[] members = new int[enc.bottom];
    for (int b = 0; b < enc.bottom; b++) {
      members[fill[ofBottom[b]]++] = b;
    }
    return members;
  }

  /** The node class of every bottom class, by looking up each bottom class's key. */
  int[] ofBottom(Classes cl) {
    KeyPacker packer = new KeyPacker(levels(cl.node));
    int[] ofBottom = new int[enc.bottom];
    if (packer.fits) {
      LongIntMap byKey = new LongIntMap();
      byKey.clear(cl.count);
      for (int c = 0; c < cl.count; c++) {
        byKey.idOf(packer.key(cl.rep[c]));
      }
      for (int b = 0; b < enc.bottom; b++) {
        ofBottom[b] = byKey.get(packer.key(b));
      }
    } else {
      // Too wide to pack: classes of all bottom classes and the representatives together.
      int[] reps = Arrays.copyOf(cl.rep, cl.count + enc.bottom);
      for (int b = 0; b < enc.bottom; b++) {
        reps[cl.count + b] = b;
      }
      int[] ids = packer.ids(reps);
      int[] byId = new int[cl.count + enc.bottom];
      Arrays.fill(byId, -1);
      for (int c = 0; c < cl.count; c++) {
        byId[ids[c]] = c;
      }
      for (int b = 0; b < enc.bottom; b++) {
        ofBottom[b] = byId[ids[cl.count + b]];
      }
    }
    return ofBottom;
  }

  /**
   * The number of population individuals matching each class of {@code cl} (at least the class's
   * own size: the sample is part of the population).
   */
  long[] populationCounts(Classes cl) {
    KeyPacker packer = new KeyPacker(levels(cl.node));
    LongIntMap byKey = new LongIntMap();
    byKey.clear(Math.min(enc.populationClasses, 1 << 16));
    long[] weight = new long[Math.max(16, enc.populationClasses)];
    for (int p = 0; p < enc.populationClasses; p++) {
      int id = byKey.idOf(packer.key(enc.populationCodes, p));
      weight[id] += enc.populationWeight[p];
    }
    long[] out = new long[cl.count];
    for (int c = 0; c < cl.count; c++) {
      int id = byKey.get(packer.key(cl.rep[c]));
      out[c] = Math.max(cl.size[c], id < 0 ? 0 : weight[id]);
    }
    return out;
  }

  /** Packs the codes of bottom classes at one node into {@code long} keys. */
  final class KeyPacker {
    final int[][] maps = new int[enc.qis][];
    final int[] shift = new int[enc.qis];
    final boolean fits;

    KeyPacker(int[] lv) {
      int bits = 0;
      for (int q = enc.qis - 1; q >= 0; q--) {
        maps[q] = enc.map[q][lv[q]];
        shift[q] = bits;
        bits += enc.bits(q, lv[q]);
      }
      fits = bits <= 64;
    }

    long key(int bottomClass) {
      return key(enc.bottomCodes, bottomClass);
    }

    /** The key of row {@code index} of a row-major table of base codes. */
    long key(int[] codes, int index) {
      int base = index * enc.qis;
      long key = 0;
      for (int q = 0; q < maps.length; q++) {
        key |= (long) maps[q][codes[base + q]] << shift[q];
      }
      return key;
    }

    /** Dense ids of the given bottom classes' code tuples, combining one field at a time. */
    int[] ids(int[] bottomClasses) {
      int[] codes = enc.bottomCodes;
      int qis = enc.qis;
      int[] ids = new int[bottomClasses.length];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = maps[0][codes[bottomClasses[i] * qis]];
      }
      int[] field = new int[ids.length];
      for (int q = 1; q < qis; q++) {
        for (int i = 0; i < ids.length; i++) {
          field[i] = maps[q][codes[bottomClasses[i] * qis + q]];
        }
        LongIntMap.combine(ids, field);
      }
      return ids;
    }
  }

  private double loss(int node, Classes cl, boolean[] failing, int suppressed) {
    return loss(enc, metric, levels(node), cl, failing, suppressed);
  }

  /**
   * The loss under {@code metric} of the node with levels {@code lv}, its classes and which of
   * them are suppressed; {@code enc} must price cells for {@code metric}.
   */
  static double loss(Encoding enc, LossMetric metric, int[] lv, Classes cl, boolean[] failing,
      int suppressed) {
    int n = enc.rows;
    if (n == 0) {
      return 0;
    }
    switch (metric) {
      case DISCERNIBILITY: {
        double dm = (double) suppressed * n;
        for (int c = 0; c < cl.count; c++) {
          if (!failing[c]) {
            dm += (double) cl.size[c] * cl.size[c];
          }
        }
        return dm / ((double) n * n);
      }
      case AVERAGE_CLASS_SIZE: {
        int released = 0;
        for (int c = 0; c < cl.count; c++) {
          if (!failing[c]) {
            released++;
          }
        }
        return released == 0 ? 1 : (double) (n - suppressed) / released / n;
      }
      default: {
        if (enc.costNorm == 0) {
          return 0;
        }
        double sum = 0;
        for (int q = 0; q < enc.qis; q++) {
          sum += enc.levelCost[q][lv[q]];
        }
        if (suppressed > 0) {
          for (int c = 0; c < cl.count; c++) {
            if (failing[c]) {
              double extra = 0;
              int base = cl.rep[c] * enc.qis;
              for (int q = 0; q < enc.qis; q++) {
                int label = enc.map[q][lv[q]][enc.bottomCodes[base + q]];
                extra += enc.suppressCost[q][lv[q]][label];
              }
              sum += extra * cl.size[c];
            }
          }
        }
        return sum / enc.costNorm;
      }
    }
  }

  /** The node's classes, rolled up from the cached finer node with the fewest classes. */
  Classes classes(int node) {
    Classes cached = cache.get(node);
    if (cached != null) {
      return cached;
    }
    int[] lv = levels(node);
    Classes source = source(lv);
    Classes cl = rollUp(source, node, lv);
    remember(cl);
    return cl;
  }

  /** The cached node finer than or equal to {@code lv} with the fewest classes. */
  private Classes source(int[] lv) {
    Classes source = bottomClasses;
    for (Classes c : cache.values()) {
      if (c.count < source.count && finerOrEqual(c.node, lv)) {
        source = c;
      }
    }
    return source;
  }

  private boolean finerOrEqual(int other, int[] lv) {
    for (int q = 0; q < enc.qis; q++) {
      if (level(other, q) > lv[q]) {
        return false;
      }
    }
    return true;
  }

  /** Splits roll-ups of large sources over {@code parallelism} threads of {@code executor}. */
  void parallel(java.util.concurrent.Executor executor, int parallelism) {
    this.executor = executor;
    this.parallelism = Math.max(1, Math.min(parallelism, 8));
  }

  private java.util.concurrent.Executor executor;
  private int parallelism = 1;
  /** Sources smaller than this roll up on one thread. */
  private static final int PARALLEL_FROM = 1 << 16;

  private Classes rollUp(Classes source, int node, int[] lv) {
    KeyPacker packer = new KeyPacker(lv);
    int[] sourceToNode;
    int count;
    if (packer.fits && parallelism > 1 && source.count >= PARALLEL_FROM) {
      sourceToNode = new int[source.count];
      count = rollUpInParts(source, packer, sourceToNode);
    } else if (packer.fits) {
      sourceToNode = new int[source.count];
      index.clear(Math.min(source.count, 1 << 16));
      for (int c = 0; c < source.count; c++) {
        sourceToNode[c] = index.idOf(packer.key(source.rep[c]));
      }
      count = index.size();
    } else {
      sourceToNode = packer.ids(Arrays.copyOf(source.rep, source.count));
      index.clear(Math.min(source.count, 1 << 16));
      for (int c = 0; c < source.count; c++) {
        sourceToNode[c] = index.idOf(sourceToNode[c]);
      }
      count = index.size();
    }
    int[] size = new int[count];
    int[] rep = new int[count];
    Arrays.fill(rep, -1);
    for (int c = 0; c < source.count; c++) {
      int id = sourceToNode[c];
      size[id] += source.size[c];
      if (rep[id] < 0) {
        rep[id] = source.rep[c];
      }
    }
    return new Classes(node, count, size, rep);
  }

  /**
   * Rolls up with the keys split by a hash into one part per thread: each thread numbers the
   * keys of its part in source order in its own table (the part of the work bound by cache
   * misses), then part offsets make the ids global. Deterministic whatever the timing.
   */
  private int rollUpInParts(Classes source, KeyPacker packer, int[] sourceToNode) {
    int n = source.count;
    long[] keys = new long[n];
    for (int c = 0; c < n; c++) {
      keys[c] = packer.key(source.rep[c]);
    }
    int parts = parallelism;
    int[] sizes = new int[parts];
    java.util.concurrent.CompletableFuture<?>[] running =
        new java.util.concurrent.CompletableFuture<?>[parts - 1];
    for (int t = 1; t < parts; t++) {
      final int part = t;
      running[t - 1] = java.util.concurrent.CompletableFuture.runAsync(
          () -> sizes[part] = numberPart(keys, part, parts, sourceToNode), executor);
    }
    sizes[0] = numberPart(keys, 0, parts, sourceToNode);
    java.util.concurrent.CompletableFuture.allOf(running).join();
    int[] offset = new int[parts];
    for (int t = 1; t < parts; t++) {
      offset[t] = offset[t - 1] + sizes[t - 1];
    }
    for (int c = 0; c < n; c++) {
      sourceToNode[c] += offset[part(keys[c], parts)];
    }
    return offset[parts - 1] + sizes[parts - 1];
  }

  private static int numberPart(long[] keys, int part, int parts, int[] out) {
    LongIntMap map = new LongIntMap();
    map.clear(Math.min(keys.length / parts, 1 << 16));
    for (int c = 0; c < keys.length; c++) {
      if (part(keys[c], parts) == part) {
        out[c] = map.idOf(keys[c]);
      }
    }
    return map.size();
  }

  private static int part(long key, int parts) {
    long h = key * 0xC2B2AE3D27D4EB4FL;
    return (int) (((h >>> 32) * parts) >>> 32);
  }

  private void remember(Classes cl) {
    cache.put(cl.node, cl);
    cachedInts += 2L * cl.count;
    Iterator<Classes> it = cache.values().iterator();
    while (cachedInts > CACHE_INTS && cache.size() > 1 && it.hasNext()) {
      Classes old = it.next();
      it.remove();
      cachedInts -= 2L * old.count;
    }
  }

  /**
   * The criteria that {@code node} breaks each on its own within the suppression limit, or "the
   * models together" when only their combination does: what a failure names.
   */
  List<String> brokenCriteria(int node) {
    List<String> out = new ArrayList<>();
    for (PrivacyModel m : models) {
      if (!new Engine(enc, List.of(m), metric, suppressionLimit).evaluate(node).anonymous) {
        out.add(m.criterion());
      }
    }
    if (out.isEmpty()) {
      out.add("the models together");
    }
    return out;
  }

  /** The sensitive values of one class, counted in a dense scratch array. */
  static final class Histogram {
    final Encoding.Sensitive sensitive;
    final int[] count;
    final int[] touched;
    int distinct;

    Histogram(Encoding.Sensitive sensitive) {
      this.sensitive = sensitive;
      this.count = new int[sensitive.distinct];
      this.touched = new int[sensitive.distinct];
    }

    void fill(int[] members, int from, int to) {
      for (int i = from; i < to; i++) {
        int b = members[i];
        for (int e = sensitive.start[b]; e < sensitive.start[b + 1]; e++) {
          int code = sensitive.code[e];
          if (count[code] == 0) {
            touched[distinct++] = code;
          }
          count[code] += sensitive.count[e];
        }
      }
    }

    void clear() {
      for (int i = 0; i < distinct; i++) {
        count[touched[i]] = 0;
      }
      distinct = 0;
    }

    double entropy(int total) {
      double h = 0;
      for (int i = 0; i < distinct; i++) {
        double p = (double) count[touched[i]] / total;
        h -= p * Math.log(p);
      }
      return h;
    }

    boolean recursive(double c, int l) {
      if (distinct < l) {
        return false;
      }
      int[] sorted = new int[distinct];
      for (int i = 0; i < distinct; i++) {
        sorted[i] = count[touched[i]];
      }
      Arrays.sort(sorted);
      // sorted ascending: r1 is the last, r_l .. r_m are the first distinct - l + 1.
      long tail = 0;
      for (int i = 0; i <= distinct - l; i++) {
        tail += sorted[i];
      }
      return sorted[distinct - 1] < c * tail;
    }

    /** Earth mover's distance to the whole table's distribution. */
    double distance(int total) {
      double[] overall = sensitive.overall;
      if (!sensitive.ordered) {
        double sum = 1;
        for (int i = 0; i < distinct; i++) {
          double q = overall[touched[i]];
          sum += Math.abs((double) count[touched[i]] / total - q) - q;
        }
        return Math.max(0, sum / 2);
      }
      int m = overall.length;
      if (m <= 1) {
        return 0;
      }
      double cumulative = 0;
      double sum = 0;
      for (int v = 0; v < m - 1; v++) {
        cumulative += (double) count[v] / total - overall[v];
        sum += Math.abs(cumulative);
      }
      return sum / (m - 1);
    }
  }
}
