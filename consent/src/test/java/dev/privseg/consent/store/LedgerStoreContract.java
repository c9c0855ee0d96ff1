package dev.privseg.consent.store;

import static dev.privseg.consent.Fixtures.MARKETING;
import static dev.privseg.consent.Fixtures.day;
import static dev.privseg.consent.Fixtures.event;
import static dev.privseg.consent.Fixtures.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.Fixtures;
import dev.privseg.consent.ledger.ConsentEvent;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.core.PurposeId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract every {@link LedgerStore} must meet; one subclass per store. */
abstract class LedgerStoreContract {
  LedgerStore store;
  ConsentLedger ledger;

  /** A new, empty store. */
  abstract LedgerStore newStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = newStore();
    ledger = ConsentLedger.open(store, Fixtures.KEYER);
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void appendedEventsReadBackEqualAndChained() {
    List<ConsentEvent> appended = ledger.appendAll(List.of(
        event("a", EventType.CONSENT_GIVEN, 1), event("b", EventType.OBJECTION, 2)));
    ConsentEvent third = ledger.append(event("a", EventType.CONSENT_WITHDRAWN, 3));

    List<ConsentEvent> all = new ArrayList<>();
    store.scan(all::add);
    assertThat(all).containsExactly(appended.get(0), appended.get(1), third);
    assertThat(all).extracting(ConsentEvent::sequence).containsExactly(1L, 2L, 3L);
    assertThat(all.get(1).previousHash()).isEqualTo(all.get(0).hash());
    assertThat(store.size()).isEqualTo(3);
    assertThat(ledger.verify().intact()).isTrue();
    assertThat(ledger.verify().eventsChecked()).isEqualTo(3);
  }

  @Test
  void historyFiltersBySubjectPurposeAndInstantInOrderOfEffect() {
    PurposeId other = PurposeId.of("other");
    ledger.appendAll(List.of(
        event("a", EventType.CONSENT_WITHDRAWN, 20),
        event("a", EventType.CONSENT_GIVEN, 10),
        event(key("a"), other, EventType.CONSENT_GIVEN, 5),
        event(key("a"), ConsentEvent.ALL_PURPOSES, EventType.RESTRICTION, 15),
        event("b", EventType.CONSENT_GIVEN, 1)));

    assertThat(store.history(key("a"), MARKETING, day(30)))
        .extracting(ConsentEvent::type).containsExactly(EventType.CONSENT_GIVEN,
            EventType.RESTRICTION, EventType.CONSENT_WITHDRAWN);
    assertThat(store.history(key("a"), MARKETING, day(16))).hasSize(2);
    assertThat(store.history(key("a"))).hasSize(4);
    assertThat(store.history(key("nobody"))).isEmpty();
    assertThat(ledger.state(key("a"), MARKETING, day(12)).hasConsent()).isTrue();
  }

  @Test
  void effectsAreTheScannedEventsOfThePurposeUpToTheInstantInLedgerOrder() {
    PurposeId other = PurposeId.of("other");
    List<EventDraft> drafts = new ArrayList<>();
    EventType[] types = EventType.values();
    for (int i = 0; i < 60; i++) {
      EventType type = types[i % types.length];
      PurposeId purpose = i % 5 == 0 && !type.givesConsent() ? ConsentEvent.ALL_PURPOSES
          : i % 3 == 0 ? other : MARKETING;
      drafts.add(new EventDraft(key("s" + i % 7), purpose, type,
          day((i * 37) % 41), EventSource.API, "notice-" + i % 4, "test", ""));
    }
    ledger.appendAll(drafts);
    List<String> expected = new ArrayList<>();
    store.scan(e -> {
      if (e.concerns(MARKETING) && !e.occurredAt().isAfter(day(30))) {
        expected.add(e.subject().hex() + " " + e.type() + " " + e.occurredAt().toEpochMilli()
            + " " + e.noticeVersion());
      }
    });
    List<String> effects = new ArrayList<>();
    store.scanEffects(MARKETING, day(30), (high, low, type, occurredAt, notice) -> effects.add(
        new SubjectKey(high, low).hex() + " " + type + " "
            + occurredAt + " " + notice));
    assertThat(effects).isNotEmpty().hasSizeLessThan(60).containsExactlyElementsOf(expected);
  }

  @Test
  void concurrentAppendsLoseNothingAndKeepTheChainValid() throws Exception {
    int threads = 6;
    int batches = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int b = 0; b < batches; b++) {
            List<EventDraft> batch = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
              batch.add(event("t" + thread + "-" + b + "-" + i, EventType.CONSENT_GIVEN, i));
            }
            ledger.appendAll(batch);
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(store.size()).isEqualTo(threads * batches * 4L);
    assertThat(ledger.verify()).satisfies(v -> {
      assertThat(v.intact()).as(v.problem()).isTrue();
      assertThat(v.eventsChecked()).isEqualTo(threads * batches * 4L);
    });
    Set<String> hashes = new HashSet<>();
    store.scan(e -> hashes.add(e.hash()));
    assertThat(hashes).hasSize(threads * batches * 4);
  }

  @Test
  void freeTextFieldsRoundTripWhateverTheyHold() {
    // What CSV and PostgreSQL's COPY treat specially, and empty text, which must not turn NULL.
    List<String> texts = List.of("", "a,b", "\"quoted\"", "back\\slash", "line\nbreak",
        "\\.", "tab\tand\r", "ünï", "NULL", " padded ");
    List<EventDraft> drafts = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      drafts.add(new EventDraft(key("s" + i), MARKETING, EventType.CONSENT_GIVEN, day(i),
          EventSource.IMPORT, text, text.isBlank() ? "actor" : text, text));
    }
    List<ConsentEvent> appended = ledger.appendAll(drafts);

    List<ConsentEvent> all = new ArrayList<>();
    store.scan(all::add);
    assertThat(all).containsExactlyElementsOf(appended);
    assertThat(all).extracting(ConsentEvent::proofReference).containsExactlyElementsOf(texts);
    assertThat(ledger.verify().intact()).isTrue();
  }

  @Test
  void eventsCarryNoRawIdentifier() {
    ledger.append(event("CANARY-SUBJECT-99", EventType.CONSENT_GIVEN, 1));
    List<ConsentEvent> all = new ArrayList<>();
    store.scan(all::add);
    assertThat(all.get(0).toString()).doesNotContain("CANARY");
    assertThat(all.get(0).subject().hex()).doesNotContain("CANARY");
    assertThat(store.description()).doesNotContain("password");
  }
}
