package dev.privseg.core.pipeline;

/**
 * Lets a host cancel a run from another thread. The run notices at its next check (between stages,
 * every few thousand rows, and between segmentation iterations) and throws
 * {@link RunCancelledException}; nothing of a cancelled run is released. Thread-safe.
 */
public final class CancellationToken {
  private volatile boolean cancelled;

  /** A token that is not cancelled. */
  public CancellationToken() {}

  /** Requests cancellation. */
  public void cancel() {
    cancelled = true;
  }

  /** Whether cancellation was requested. */
  public boolean isCancelled() {
    return cancelled;
  }
}
