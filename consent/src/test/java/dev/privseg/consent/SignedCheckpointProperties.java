package dev.privseg.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.ledger.Checkpoint;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.Verification;
import dev.privseg.consent.rights.MembershipRegistry;
import dev.privseg.consent.store.InMemoryLedgerStore;
import dev.privseg.consent.store.LedgerStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A signed checkpoint detects exactly the tampering that reaches it: a ledger truncated below
 * the checkpoint's head, or rewritten at or before it with every later hash recomputed (a
 * consistent chain, which the chain alone calls intact), fails the check; the genuine ledger,
 * with events appended since or even rewritten only after the head, passes.
 */
class SignedCheckpointProperties {
  private static final Clock CLOCK = Clock.fixed(Fixtures.T0, ZoneOffset.UTC);
  private static Path keys;
  private static CheckpointSigner signer;
  private static CheckpointVerifier verifier;

  @BeforeContainer
  static void makeKeys() throws Exception {
    keys = Files.createTempDirectory("checkpoint-keys");
    CheckpointSigner.generateKeys(keys.resolve("key.pem"), keys.resolve("key.pub.pem"));
    signer = CheckpointSigner.load(keys.resolve("key.pem"));
    verifier = CheckpointVerifier.load(keys.resolve("key.pub.pem"));
  }

  @AfterContainer
  static void removeKeys() throws Exception {
    try (var files = Files.list(keys)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(keys);
  }

  /**
   * {@code events} events of which the first {@code sealed} are checkpointed; then the ledger
   * replayed truncated to {@code where} events, or with event {@code where} changed.
   */
  record Tampering(int events, int sealed, boolean truncate, int where) {}

  @Provide
  Arbitrary<Tampering> tamperings() {
    return Arbitraries.integers().between(1, 30).flatMap(n ->
        Combinators.combine(Arbitraries.integers().between(1, n), Arbitraries.of(true, false),
            Arbitraries.integers().between(0, n - 1))
            .as((sealed, truncate, where) -> new Tampering(n, sealed, truncate, where)));
  }

  @Property(tries = 300)
  void aCheckpointFailsExactlyWhenTheTamperingReachesItsHead(
      @ForAll("tamperings") Tampering t, @ForAll("types") List<EventType> types) {
    List<EventType> genuine = types.subList(0, t.events());
    // Sealed after the first `sealed` events; the rest appended afterwards.
    LedgerStore sealedStore = replay(genuine.subList(0, t.sealed()));
    SignedCheckpoint checkpoint = signer.sign(sealedStore, MembershipRegistry.inMemory(),
        Fixtures.T0);

    List<EventType> tampered = new ArrayList<>(genuine);
    boolean reachesHead;
    if (t.truncate()) {
      tampered = tampered.subList(0, t.where());
      reachesHead = t.where() < t.sealed();
    } else {
      tampered.set(t.where(), other(tampered.get(t.where())));
      reachesHead = t.where() < t.sealed();
    }
    LedgerStore store = replay(tampered);
    assertThat(ConsentLedger.verify(store).intact()).as("the chain alone cannot tell").isTrue();

    CheckpointCheck check = verifier.check(checkpoint, store, MembershipRegistry.inMemory());
    assertThat(check.holds()).as("%s", t).isEqualTo(!reachesHead);
    assertThat(verifier.check(checkpoint, replay(genuine), MembershipRegistry.inMemory())
        .holds()).as("the genuine ledger, events appended since").isTrue();
  }

  /**
   * Checking only from the checkpoint on ({@link ConsentLedger#verifySince}, what a compliance
   * status does) catches the same truncations and re-sealed rewrites, reading only the events
   * since the checkpoint.
   */
  @Property(tries = 300)
  void checkingFromTheCheckpointOnCatchesTheSame(@ForAll("tamperings") Tampering t,
      @ForAll("types") List<EventType> types) {
    List<EventType> genuine = types.subList(0, t.events());
    Checkpoint head = ConsentLedger.verify(replay(genuine.subList(0, t.sealed()))).head()
        .orElseThrow();
    List<EventType> tampered = new ArrayList<>(genuine);
    if (t.truncate()) {
      tampered = tampered.subList(0, t.where());
    } else {
      tampered.set(t.where(), other(tampered.get(t.where())));
    }
    Verification v = ConsentLedger.verifySince(replay(tampered), head);
    assertThat(v.intact()).as("%s: %s", t, v.problem()).isEqualTo(t.where() >= t.sealed());
    Verification whole = ConsentLedger.verifySince(replay(genuine), head);
    assertThat(whole.intact()).isTrue();
    assertThat(whole.eventsChecked()).isEqualTo(t.events() - t.sealed() + 1);
    assertThat(whole.head()).isEqualTo(ConsentLedger.verify(replay(genuine)).head());
  }

  @Provide
  Arbitrary<List<EventType>> types() {
    return Arbitraries.of(EventType.CONSENT_GIVEN, EventType.CONSENT_WITHDRAWN,
        EventType.OBJECTION).list().ofSize(30);
  }

  private static EventType other(EventType type) {
    return type == EventType.CONSENT_GIVEN ? EventType.CONSENT_WITHDRAWN
        : EventType.CONSENT_GIVEN;
  }

  /** A ledger of {@code types} in order, hashed afresh: what someone re-sealing it makes. */
  private static LedgerStore replay(List<EventType> types) {
    LedgerStore store = new InMemoryLedgerStore();
    ConsentLedger ledger = ConsentLedger.open(store, Fixtures.KEYER, CLOCK);
    for (int i = 0; i < types.size(); i++) {
      ledger.append(Fixtures.event("C" + (i % 5), types.get(i), i));
    }
    return store;
  }
}
