package dev.privseg.core.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Runs numbered chunks of work on an {@link Executor} plus the calling thread. Chunks are numbered
 * independently of the number of threads, so a reduction in chunk order gives the same result on
 * any machine. Not part of the API.
 */
public final class Parallel {
  private static final ExecutorService DEFAULT = Executors.newFixedThreadPool(
      Runtime.getRuntime().availableProcessors(), runnable -> {
        Thread t = new Thread(runnable, "privseg-worker");
        t.setDaemon(true);
        return t;
      });

  private Parallel() {}

  /** A shared pool of daemon threads, one per core, used when the host supplies no executor. */
  public static Executor defaultExecutor() {
    return DEFAULT;
  }

  /**
   * Runs {@code work} for chunks {@code 0..chunks-1} on up to {@code parallelism} threads (the
   * caller is one of them) and returns when all are done; rethrows the first failure.
   */
  public static void forEachChunk(Executor executor, int parallelism, int chunks,
      IntConsumer work) {
    int helpers = Math.min(parallelism, chunks) - 1;
    if (helpers <= 0) {
      for (int c = 0; c < chunks; c++) {
        work.accept(c);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(helpers);
    Runnable worker = () -> drain(next, chunks, work, failure);
    for (int i = 0; i < helpers; i++) {
      executor.execute(() -> {
        try {
          worker.run();
        } finally {
          done.countDown();
        }
      });
    }
    worker.run();
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for parallel work", e);
    }
    Throwable t = failure.get();
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error err) {
      throw err;
    }
  }

  private static void drain(AtomicInteger next, int chunks, IntConsumer work,
      AtomicReference<Throwable> failure) {
    int c;
    while (failure.get() == null && (c = next.getAndIncrement()) < chunks) {
      try {
        work.accept(c);
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      }
    }
  }
}
