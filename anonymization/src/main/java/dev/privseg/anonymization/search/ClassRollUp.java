package dev.privseg.anonymization.search;

import dev.privseg.anonymization.internal.LongIntMap;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The equivalence classes of lattice nodes. A node's classes are rolled up from those of a finer
 * node already computed (the cached one with the fewest classes, or the bottom classes), never
 * recounted from rows; keys of classes are the generalized codes of their quasi-identifiers,
 * packed into a {@code long} where they fit. Large roll-ups can be split over threads, with the
 * same result. Not thread-safe: one per search.
 */
final class ClassRollUp {
  /** Roll-up sources kept, bounded by the ints they hold. */
  private static final long CACHE_INTS = 32L << 20;
  /** Sources smaller than this roll up on one thread. */
  private static final int PARALLEL_FROM = 1 << 16;

  private final Encoding enc;
  /** The lattice's mixed radix: node n has level {@code n / strides[q] % heights[q]} of q. */
  private final int[] strides;
  private final LongIntMap index = new LongIntMap();
  private final Map<Integer, NodeClasses> cache = new LinkedHashMap<>(16, 0.75f, true);
  private long cachedInts;
  private final NodeClasses bottomClasses;
  private java.util.concurrent.Executor executor;
  private int parallelism = 1;

  ClassRollUp(Encoding enc, int[] strides) {
    this.enc = enc;
    this.strides = strides;
    int[] identity = new int[enc.bottom];
    for (int b = 0; b < enc.bottom; b++) {
      identity[b] = b;
    }
    bottomClasses = new NodeClasses(-1, enc.bottom, enc.bottomSize, identity);
  }

  private int[] levels(int node) {
    int[] out = new int[enc.qis];
    for (int q = 0; q < enc.qis; q++) {
      out[q] = node / strides[q] % enc.heights[q];
    }
    return out;
  }

  /**
   * The bottom classes of each node class, grouped: class {@code c}'s are
   * {@code members[start[c]] .. members[start[c + 1] - 1]} ({@code start} is filled in).
   */
  int[] members(NodeClasses cl, int[] ofBottom, int[] start) {
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
  int[] ofBottom(NodeClasses cl) {
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
  long[] populationCounts(NodeClasses cl) {
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
  private final class KeyPacker {
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

  /** The node's classes, rolled up from the cached finer node with the fewest classes. */
  NodeClasses classes(int node) {
    NodeClasses cached = cache.get(node);
    if (cached != null) {
      return cached;
    }
    int[] lv = levels(node);
    NodeClasses source = source(lv);
    NodeClasses cl = rollUp(source, node, lv);
    remember(cl);
    return cl;
  }

  /** The cached node finer than or equal to {@code lv} with the fewest classes. */
  private NodeClasses source(int[] lv) {
    NodeClasses source = bottomClasses;
    for (NodeClasses c : cache.values()) {
      if (c.count < source.count && finerOrEqual(c.node, lv)) {
        source = c;
      }
    }
    return source;
  }

  private boolean finerOrEqual(int other, int[] lv) {
    for (int q = 0; q < enc.qis; q++) {
      if (other / strides[q] % enc.heights[q] > lv[q]) {
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


  private NodeClasses rollUp(NodeClasses source, int node, int[] lv) {
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
    return new NodeClasses(node, count, size, rep);
  }

  /**
   * Rolls up with the keys split by a hash into one part per thread: each thread numbers the
   * keys of its part in source order in its own table (the part of the work bound by cache
   * misses), then part offsets make the ids global. Deterministic whatever the timing.
   */
  private int rollUpInParts(NodeClasses source, KeyPacker packer, int[] sourceToNode) {
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

  private void remember(NodeClasses cl) {
    cache.put(cl.node, cl);
    cachedInts += 2L * cl.count;
    Iterator<NodeClasses> it = cache.values().iterator();
    while (cachedInts > CACHE_INTS && cache.size() > 1 && it.hasNext()) {
      NodeClasses old = it.next();
      it.remove();
      cachedInts -= 2L * old.count;
    }
  }
}
