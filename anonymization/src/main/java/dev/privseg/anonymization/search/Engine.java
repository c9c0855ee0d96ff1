package dev.privseg.anonymization.search;

import dev.privseg.anonymization.internal.ClassHistogram;
import dev.privseg.anonymization.internal.ClassView;
import dev.privseg.anonymization.model.PrivacyModel;
import dev.privseg.anonymization.utility.LossMetric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The optimal full-domain generalization search over one {@link Encoding}. Nodes of the lattice
 * are generalization levels per quasi-identifier, numbered in mixed radix. The search visits
 * nodes by a lower bound of their loss and prunes by monotonicity; a node's classes come from
 * {@link ClassRollUp}, its loss from {@link NodeLoss}. Not thread-safe: one engine per search.
 */
final class Engine {
  private static final byte UNKNOWN = 0;
  private static final byte ANONYMOUS = 1;
  private static final byte NOT_ANONYMOUS = 2;
  /** Resolution of the quantized bounds that order the visit (bounds lie in [0, 1]). */
  private static final double QUANTUM = 0x1p37;

  final Encoding enc;
  final List<PrivacyModel> models;
  final LossMetric metric;
  final double suppressionLimit;
  final int maxSuppressed;
  final int[] strides;
  final int size;
  private final boolean monotone;
  /** Whether a model reads population matches. */
  private final boolean hasPopulation;
  /** The view the models read each class through. */
  private final ClassView view;
  /** The classes of every node evaluated, rolled up from finer ones. */
  final ClassRollUp classes;
  int evaluations;

  /** What one node achieves. */
  static final class Eval {
    final int node;
    final NodeClasses classes;
    final boolean[] failing;
    final int suppressed;
    final boolean anonymous;
    final double loss;

    Eval(int node, NodeClasses classes, boolean[] failing, int suppressed, boolean anonymous,
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
    this.hasPopulation = models.stream().anyMatch(m -> m.population() != null);
    List<ClassHistogram> histograms = new ArrayList<>();
    for (Encoding.Sensitive sens : enc.sensitive) {
      histograms.add(new ClassHistogram(sens.codes));
    }
    this.view = new ClassView(models, histograms, hasPopulation);
    this.classes = new ClassRollUp(enc, strides);
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
    if (metric == LossMetric.ARX_LOSS && enc.rows > 0) {
      double[] perField = new double[enc.qis];
      for (int q = 0; q < enc.qis; q++) {
        perField[q] = enc.levelCost[q][level(node, q)];
      }
      return NodeLoss.geometric(perField, enc.rows);
    }
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
    NodeClasses cl = classes.classes(node);
    boolean[] failing = new boolean[cl.count];
    int suppressed = 0;
    long[] population = hasPopulation ? classes.populationCounts(cl) : null;
    for (int c = 0; c < cl.count; c++) {
      if (!view.of(cl.size[c], population == null ? 0 : population[c]).holdsOnSize()) {
        failing[c] = true;
        suppressed += cl.size[c];
      }
    }
    if (suppressed <= maxSuppressed && view.sensitiveFields() > 0) {
      suppressed = sensitiveModels(cl, failing, suppressed, population);
    }
    boolean anonymous = suppressed <= maxSuppressed;
    double loss = anonymous
        ? NodeLoss.of(enc, metric, levels(node), cl, failing, suppressed) : Double.NaN;
    return new Eval(node, cl, failing, suppressed, anonymous, loss);
  }

  /** Checks the sensitive-value models class by class; returns the new suppressed count. */
  private int sensitiveModels(NodeClasses cl, boolean[] failing, int suppressed,
      long[] population) {
    int[] ofBottom = classes.ofBottom(cl);
    int[] start = new int[cl.count + 1];
    int[] members = classes.members(cl, ofBottom, start);
    for (int c = 0; c < cl.count && suppressed <= maxSuppressed; c++) {
      if (failing[c]) {
        continue;
      }
      for (int s = 0; s < view.sensitiveFields(); s++) {
        enc.sensitive.get(s).fill(view.histogram(s), members, start[c], start[c + 1]);
      }
      boolean holds = view.of(cl.size[c], population == null ? 0 : population[c])
          .holdsOnValues();
      view.clear();
      if (!holds) {
        failing[c] = true;
        suppressed += cl.size[c];
      }
    }
    return suppressed;
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
}
