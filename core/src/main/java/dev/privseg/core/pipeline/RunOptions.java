package dev.privseg.core.pipeline;

import dev.privseg.core.Checks;
import java.time.Instant;

/**
 * Per-run options: the instant at which lawful bases are evaluated, a progress listener and a
 * cancellation token. Immutable.
 *
 * @param at the instant lawful bases are evaluated at (usually now)
 * @param listener progress callbacks
 * @param cancellation the token the host may cancel
 */
public record RunOptions(Instant at, RunListener listener, CancellationToken cancellation) {

  /** Validates the options. */
  public RunOptions {
    Checks.notNull(at, "at");
    Checks.notNull(listener, "listener");
    Checks.notNull(cancellation, "cancellation");
  }

  /** Now, no listener, a fresh token. */
  public static RunOptions defaults() {
    return new RunOptions(Instant.now(), RunListener.NONE, new CancellationToken());
  }

  /** These options with {@code listener}. */
  public RunOptions withListener(RunListener listener) {
    return new RunOptions(at, listener, cancellation);
  }

  /** These options with {@code token}. */
  public RunOptions withCancellation(CancellationToken token) {
    return new RunOptions(at, listener, token);
  }

  /** These options evaluating lawful bases at {@code instant}. */
  public RunOptions at(Instant instant) {
    return new RunOptions(instant, listener, cancellation);
  }
}
