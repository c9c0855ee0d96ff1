package dev.privseg.service;

import dev.privseg.consent.ConsentException;
import dev.privseg.consent.ledger.ConsentEvent;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Appends the captures of concurrent requests to the ledger together: one writer takes every
 * capture waiting and appends them in one transaction, while the requests wait for it. The
 * ledger's appends are serialized by its head row anyway, so a transaction per request would
 * cap the service at one commit's latency; a transaction per batch carries as many captures as
 * arrived meanwhile. A batch is all or nothing, as one append is: if it fails, every request in
 * it is told, and nothing of it is recorded. A request answers only once its batch committed.
 */
@Component
class GroupCommit implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
  /** Captures waiting at most; past this, requests are refused as the database being behind. */
  private static final int WAITING = 20_000;
  /** Events per transaction at most. */
  private static final int BATCH = 2_000;
  /** How long a request waits for its batch before it is told the database did not answer. */
  private static final long WAIT_SECONDS = 30;

  private record Pending(List<EventDraft> drafts, CompletableFuture<List<ConsentEvent>> done) {}

  private final ConsentLedger ledger;
  private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(WAITING);
  private final Thread writer;
  private volatile boolean closed;

  GroupCommit(ConsentLedger ledger) {
    this.ledger = ledger;
    this.writer = new Thread(this::write, "privseg-ledger-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /**
   * Appends {@code drafts} with the captures of other requests, and returns the events once
   * their transaction committed.
   *
   * @throws ConsentException if the batch failed (nothing of it was recorded), or the database
   *     is too far behind to take more
   */
  List<ConsentEvent> append(List<EventDraft> drafts) {
    if (drafts.isEmpty()) {
      return List.of();
    }
    Pending p = new Pending(List.copyOf(drafts), new CompletableFuture<>());
    if (closed || !queue.offer(p)) {
      throw new ConsentException("the consent database is behind: " + WAITING
          + " captures are waiting to be recorded", new java.sql.SQLTransientException(
              "capture queue full", "08004"));
    }
    try {
      return p.done().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r
          : new ConsentException("recording failed", e.getCause());
    } catch (TimeoutException e) {
      throw new ConsentException("the consent database did not answer within " + WAIT_SECONDS
          + " s; the capture may be recorded later", new java.sql.SQLTransientException(
              "timeout", "08006"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConsentException("interrupted while waiting for the consent database", e);
    }
  }

  private void write() {
    List<Pending> batch = new ArrayList<>();
    while (!closed || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        int events = first.drafts().size();
        Pending next;
        while (events < BATCH && (next = queue.poll()) != null) {
          batch.add(next);
          events += next.drafts().size();
        }
        commit(batch, events);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        batch.clear();
      }
    }
  }

  private void commit(List<Pending> batch, int events) {
    List<EventDraft> all = new ArrayList<>(events);
    batch.forEach(p -> all.addAll(p.drafts()));
    List<ConsentEvent> appended;
    try {
      appended = ledger.appendAll(all);
    } catch (RuntimeException e) {
      LOG.warn("a batch of {} captures was not recorded: {}", events, e.getClass().getName());
      batch.forEach(p -> p.done().completeExceptionally(e));
      return;
    }
    int from = 0;
    for (Pending p : batch) {
      int to = from + p.drafts().size();
      p.done().complete(appended.subList(from, to));
      from = to;
    }
  }

  /** Records what is waiting, then stops the writer. */
  @Override
  public void close() {
    closed = true;
    try {
      writer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
