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
 */
public record ChunkedFit(int segments, double[] centroids, long[] sizes, double inertia,
    int iterations, boolean converged) {

  /** Copies the arrays. */
  public ChunkedFit {
    centroids = centroids.clone();
    sizes = sizes.clone();
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
        && converged == f.converged;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(segments, java.util.Arrays.hashCode(centroids),
        java.util.Arrays.hashCode(sizes), inertia, iterations, converged);
  }

  @Override
  public String toString() {
    return "ChunkedFit[segments=" + segments + ", sizes=" + java.util.Arrays.toString(sizes)
        + ", inertia=" + inertia + ", iterations=" + iterations + ", converged=" + converged
        + "]";
  }
}
