package dev.privseg.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.consent.ConsentException;
import dev.privseg.consent.ledger.ConsentEvent;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKeyer;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.PurposeId;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pseudonymize.KeyProvider;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captures of concurrent requests committed together: each request gets its own events, in one
 * chain, and a capture for an erased subject is refused alone, its batch-mates recorded.
 */
class GroupCommitTest {
  private static final PurposeId OFFERS = PurposeId.of("marketing-segmentation");

  private static List<EventDraft> consent(dev.privseg.consent.ledger.SubjectKey key) {
    return List.of(EventDraft.of(key, OFFERS, EventType.CONSENT_GIVEN,
        Instant.parse("2026-01-01T00:00:00Z"), EventSource.API, "test"));
  }

  @Test
  void concurrentCapturesEachGetTheirOwnEventsInOneChain(@TempDir Path dir) throws Exception {
    try (ConsentDatabase db = ConsentDatabase.h2(dir)) {
      ConsentLedger ledger = db.ledger(SubjectKeyer.from(KeyProvider.ephemeral()));
      GroupCommit writer = new GroupCommit(ledger);
      ledger.erase(SubjectId.of("gone"), Instant.parse("2026-01-01T00:00:00Z"), "dpo");
      long before = ledger.size();
      Set<Long> sequences = ConcurrentHashMap.newKeySet();
      List<Throwable> refused = new ArrayList<>();
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String id = i == 17 ? "gone" : "S" + i;
        Thread t = new Thread(() -> {
          try {
            go.await();
            List<ConsentEvent> events = writer.append(SubjectId.of(id), GroupCommitTest::consent);
            assertThat(events).hasSize(1);
            sequences.add(events.get(0).sequence());
          } catch (ConsentException e) {
            synchronized (refused) {
              refused.add(e);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        t.start();
        threads.add(t);
      }
      go.countDown();
      for (Thread t : threads) {
        t.join();
      }
      assertThat(refused).singleElement().satisfies(e -> assertThat(e)
          .hasMessage("the subject was erased: no event is recorded for it"));
      assertThat(sequences).hasSize(39);
      assertThat(ledger.size()).isEqualTo(before + 39);
      assertThat(ledger.verify().intact()).isTrue();
      assertThatThrownBy(() -> writer.append(SubjectId.of("gone"), GroupCommitTest::consent))
          .isInstanceOf(ConsentException.class);
      writer.close();
    }
  }
}
