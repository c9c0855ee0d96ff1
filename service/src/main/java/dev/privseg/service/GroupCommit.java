package dev.privseg.service;

import dev.privseg.consent.ConsentException;
import dev.privseg.consent.ledger.ConsentEvent;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.core.SubjectId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Appends the captures of concurrent requests to the ledger together: one writer takes every
 * capture waiting, looks up their subjects' keys in one go and appends them in one
 * transaction, while the requests wait for it. The
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
  /** Captures per transaction at most. */
  private static final int BATCH = 1_000;
  /** How long a request waits for its batch before it is told the database did not answer. */
  private static final long WAIT_SECONDS = 30;

  /**
   * A capture waiting: its subject, how to make its events from the subject's ledger key (looked
   * up for the whole batch at once), and the events once made.
   */
  private static final class Pending {
    final SubjectId subject;
    final Function<SubjectKey, List<EventDraft>> make;
    final CompletableFuture<List<ConsentEvent>> done = new CompletableFuture<>();
    List<EventDraft> drafts;

    Pending(SubjectId subject, Function<SubjectKey, List<EventDraft>> make) {
      this.subject = subject;
      this.make = make;
    }
  }

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
   * Appends the events {@code make} gives for {@code subject}'s ledger key, looked up (or, for
   * a subject seen for the first time, created in the subject directory) with the keys of the
   * rest of the batch, and returns them once committed.
   *
   * @throws ConsentException if the subject was erased (nothing more is recorded about it), the
   *     batch failed, or the database is too far behind to take more
   */
  List<ConsentEvent> append(SubjectId subject, Function<SubjectKey, List<EventDraft>> make) {
    Pending p = new Pending(subject, make);
    if (closed || !queue.offer(p)) {
      throw new ConsentException("the consent database is behind: " + WAITING
          + " captures are waiting to be recorded", new java.sql.SQLTransientException(
              "capture queue full", "08004"));
    }
    try {
      return p.done.get(WAIT_SECONDS, TimeUnit.SECONDS);
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
        Pending next;
        while (batch.size() < BATCH && (next = queue.poll()) != null) {
          batch.add(next);
        }
        commit(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        batch.clear();
      }
    }
  }

  private void commit(List<Pending> batch) {
    List<Pending> keyed = new ArrayList<>(batch.size());
    try {
      keys(batch);
    } catch (RuntimeException e) {
      fail(batch, e);
      return;
    }
    List<EventDraft> all = new ArrayList<>();
    for (Pending p : batch) {
      if (!p.done.isDone()) {
        keyed.add(p);
        all.addAll(p.drafts);
      }
    }
    if (all.isEmpty()) {
      keyed.forEach(p -> p.done.complete(List.of()));
      return;
    }
    List<ConsentEvent> appended;
    try {
      appended = ledger.appendAll(all);
    } catch (RuntimeException e) {
      fail(keyed, e);
      return;
    }
    int from = 0;
    for (Pending p : keyed) {
      int to = from + p.drafts.size();
      p.done.complete(appended.subList(from, to));
      from = to;
    }
  }

  /** Looks up the keys of the batch's subjects in one go and makes their drafts. */
  private void keys(List<Pending> batch) {
    List<Optional<SubjectKey>> keys = ledger.keysOf(batch.stream().map(p -> p.subject)
        .toList());
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      if (keys.get(i).isEmpty()) {
        p.done.completeExceptionally(new ConsentException("the subject was erased: no event "
            + "is recorded for it"));
        continue;
      }
      try {
        p.drafts = p.make.apply(keys.get(i).get());
      } catch (RuntimeException e) {
        p.done.completeExceptionally(e);
      }
    }
  }

  private static void fail(List<Pending> batch, RuntimeException e) {
    LOG.warn("a batch of {} captures was not recorded: {}", batch.size(), e.getClass().getName());
    batch.forEach(p -> p.done.completeExceptionally(e));
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
