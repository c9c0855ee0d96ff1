package dev.privseg.anonymization.search;

import dev.privseg.anonymization.utility.LossMetric;

/** The information loss of a generalization: one lattice node with its classes, as released. */
final class NodeLoss {
  private NodeLoss() {}

  /**
   * ARX's aggregate of per-field losses: the geometric mean of {@code 1 + sum / rows} over the
   * fields, minus 1.
   */
  static double geometric(double[] perFieldSums, int rows) {
    double product = 1;
    for (double sum : perFieldSums) {
      product *= Math.pow(1 + sum / rows, 1.0 / perFieldSums.length);
    }
    return Math.max(0, product - 1);
  }

  /**
   * The loss under {@code metric} of the node with levels {@code lv}, its classes and which of
   * them are suppressed; {@code enc} must price cells for {@code metric}.
   */
  static double of(Encoding enc, LossMetric metric, int[] lv, NodeClasses cl,
      boolean[] failing, int suppressed) {
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
      case ARX_LOSS: {
        double[] perField = new double[enc.qis];
        for (int q = 0; q < enc.qis; q++) {
          perField[q] = enc.levelCost[q][lv[q]];
        }
        if (suppressed > 0) {
          for (int c = 0; c < cl.count; c++) {
            if (failing[c]) {
              int base = cl.rep[c] * enc.qis;
              for (int q = 0; q < enc.qis; q++) {
                int label = enc.map[q][lv[q]][enc.bottomCodes[base + q]];
                perField[q] += enc.suppressCost[q][lv[q]][label] * cl.size[c];
              }
            }
          }
        }
        return geometric(perField, n);
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
}
