package dev.privseg.core.segment.kmeans;

import java.io.Serializable;

/**
 * One pass of a k-means fit over one {@link Chunk}, as a {@link ChunkedRows} runs it wherever the
 * chunk is held. Serializable, to be sent there; made by the fit, never by hosts.
 *
 * @param <R> what the pass gives back to the fit
 */
@FunctionalInterface
public interface ChunkStep<R extends Serializable> extends Serializable {

  /** Runs the pass on {@code chunk}, updating its state; returns the chunk's result. */
  R apply(Chunk chunk);
}
