package dev.privseg.core.pipeline;

import dev.privseg.core.Checks;
import dev.privseg.core.segment.AdjustedRand;
import dev.privseg.core.segment.kmeans.ChunkedRows;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How far anonymization moved the segments, as the record states it: the adjusted Rand index
 * between the run's segments and segments made from the same rows' original values, and the
 * mean distance from each run segment's centre to the nearest original one, both centres taken
 * in the original standardized features. The centres are summed in chunks of {@link #CHUNK}
 * rows and over chunks in order, so that an engine holding rows in chunks elsewhere gets the
 * local figures to the last bit: {@link #chunkSums} on each chunk, {@link #add} in chunk order,
 * then {@link #of}.
 */
public final class AnonymizationImpact {
  /** Rows per chunk of the sums: the chunks of {@link ChunkedRows}. */
  public static final int CHUNK = ChunkedRows.CHUNK;

  private AnonymizationImpact() {}

  /**
   * A chunk's rows added up by segment: {@code k * d} sums (segment-major), then {@code k}
   * counts.
   *
   * @param values the rows' features, row-major, {@code d} per row
   * @param first the first row of the chunk in {@code values}
   * @param rows the chunk's rows
   * @param labels each row's segment
   * @param firstLabel the first row's index in {@code labels}
   */
  public static double[] chunkSums(double[] values, int first, int rows, int d, int[] labels,
      int firstLabel, int k) {
    double[] out = new double[k * d + k];
    for (int r = 0; r < rows; r++) {
      int label = labels[firstLabel + r];
      out[k * d + label]++;
      int at = (first + r) * d;
      for (int j = 0; j < d; j++) {
        out[label * d + j] += values[at + j];
      }
    }
    return out;
  }

  /** Adds a chunk's {@code sums} to {@code total}. */
  public static void add(double[] total, double[] sums) {
    Checks.check(total.length == sums.length, "sums of %s and %s entries", total.length,
        sums.length);
    for (int i = 0; i < total.length; i++) {
      total[i] += sums[i];
    }
  }

  /**
   * The record's impact entry.
   *
   * @param labels the run's segment of each row
   * @param k the run's segments
   * @param sums the rows' original features added up by the run's segments (see {@link #add})
   * @param reference the segment of each row made from its original values
   * @param referenceK those segments' number
   * @param referenceSums the rows' original features added up by those segments
   * @param d the number of original features
   * @param referenceInertia the inertia of the segments made from the original values
   */
  public static Map<String, Object> of(int[] labels, int k, double[] sums, int[] reference,
      int referenceK, double[] referenceSums, int d, double referenceInertia) {
    double[] a = centres(sums, k, d);
    double[] b = centres(referenceSums, referenceK, d);
    double shift = 0;
    for (int s = 0; s < k; s++) {
      double nearest = Double.POSITIVE_INFINITY;
      for (int t = 0; t < referenceK; t++) {
        double sum = 0;
        for (int j = 0; j < d; j++) {
          double diff = a[s * d + j] - b[t * d + j];
          sum += diff * diff;
        }
        nearest = Math.min(nearest, sum);
      }
      shift += Math.sqrt(nearest);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("adjustedRandIndex", Math.round(AdjustedRand.index(labels, reference) * 1e6) / 1e6);
    out.put("centroidShift", Math.round(shift / Math.max(1, k) * 1e6) / 1e6);
    out.put("originalInertia", referenceInertia);
    return out;
  }

  private static double[] centres(double[] sums, int k, int d) {
    double[] out = new double[k * d];
    for (int s = 0; s < k; s++) {
      double count = Math.max(1, sums[k * d + s]);
      for (int j = 0; j < d; j++) {
        out[s * d + j] = sums[s * d + j] / count;
      }
    }
    return out;
  }
}
