package dev.privseg.core.segment.kmeans;

/**
 * A k-means fit on {@link ChunkedRows}: what {@link KMeans#fit(ChunkedRows,
 * dev.privseg.core.segment.SegmentContext)} found. Each row's segment stays with its chunk
 * ({@link Chunk#label}).
 *
 * @param segments the number of segments (k)
 * @param centroids the segments' means, row-major ({@code segments * features})
 * @param sizes the segments' sizes
 * @param inertia the sum of squared distances from every row to its segment's centroid
 * @param iterations the iterations run
 * @param converged whether the fit converged before the iteration limit
 * @param details what else the segmenter reports for the record (the privacy spent, say)
 */
public record ChunkedFit(int segments, double[] centroids, long[] sizes, double inertia,
    int iterations, boolean converged, java.util.Map<String, Object> details) {

  /** Copies the arrays and the details. */
  public ChunkedFit {
    centroids = centroids.clone();
    sizes = sizes.clone();
    details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
  }

  /** A fit with no details. */
  public ChunkedFit(int segments, double[] centroids, long[] sizes, double inertia,
      int iterations, boolean converged) {
    this(segments, centroids, sizes, inertia, iterations, converged, java.util.Map.of());
  }

  @Override
  public double[] centroids() {
    return centroids.clone();
  }

  @Override
  public long[] sizes() {
    return sizes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChunkedFit f && segments == f.segments
        && java.util.Arrays.equals(centroids, f.centroids) && java.util.Arrays.equals(sizes, f.sizes)
        && Double.compare(inertia, f.inertia) == 0 && iterations == f.iterations
        && converged == f.converged && details.equals(f.details);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(segments, java.util.Arrays.hashCode(centroids),
        java.util.Arrays.hashCode(sizes), inertia, iterations, converged, details);
  }

  @Override
  public String toString() {
    return "ChunkedFit[segments=" + segments + ", sizes=" + java.util.Arrays.toString(sizes)
        + ", inertia=" + inertia + ", iterations=" + iterations + ", converged=" + converged
        + "]";
  }
}
