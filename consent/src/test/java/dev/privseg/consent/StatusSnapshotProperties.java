package dev.privseg.consent;

import static dev.privseg.consent.Fixtures.day;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.consent.directory.InMemorySubjectDirectory;
import dev.privseg.consent.ledger.Checkpoint;
import dev.privseg.consent.ledger.ConsentEvent;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.rights.MembershipRegistry;
import dev.privseg.consent.store.InMemoryLedgerStore;
import dev.privseg.core.Purposes;
import dev.privseg.core.SubjectId;
import dev.privseg.core.gate.LawfulBasisGate;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * A status read from a snapshot and the events appended since is the status read from every
 * event: for random histories before and after the snapshot (events back-dated before it, events
 * not yet in effect when it was made, erasures, recorded expiries, lapses under a policy expiry),
 * the coverage, the weekly flows and every run's standing are the same. A snapshot made under
 * another policy is not read; one whose parts were altered is refused.
 */
class StatusSnapshotProperties {
  private static final EventType[] TYPES = {EventType.CONSENT_GIVEN, EventType.CONSENT_GIVEN,
      EventType.EXPLICIT_CONSENT_GIVEN, EventType.CONSENT_WITHDRAWN, EventType.CONSENT_EXPIRED,
      EventType.OBJECTION, EventType.OBJECTION_WITHDRAWN, EventType.OPT_OUT_OF_SALE_OR_SHARING,
      EventType.RESTRICTION, EventType.RESTRICTION_LIFTED, EventType.ERASURE};

  @Property(tries = 200)
  void aStatusFromASnapshotIsTheStatusFromEveryEvent(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 150) int before,
      @ForAll @IntRange(min = 0, max = 80) int after,
      @ForAll @IntRange(min = 0, max = 60) int expiryDays,
      @ForAll @IntRange(min = 0, max = 130) int snapshotDay,
      @ForAll @IntRange(min = 0, max = 60) int laterDays,
      @ForAll boolean otherPolicy) {
    SplittableRandom random = new SplittableRandom(seed);
    ConsentLedger ledger = ConsentLedger.open(new InMemoryLedgerStore(), Fixtures.KEYER,
        new InMemorySubjectDirectory());
    ConsentPolicy policy = policy(random.nextBoolean(), random.nextBoolean(), expiryDays);
    int subjects = 1 + random.nextInt(25);
    Instant snapshotAt = day(snapshotDay).plusSeconds(random.nextInt(86_400));
    Instant at = snapshotAt.plus(java.time.Duration.ofDays(laterDays))
        .plusSeconds(random.nextInt(86_400));
    append(ledger, random, before, subjects, at);
    Checkpoint trusted = ledger.verify().head().orElseThrow();
    MembershipRegistry registry = MembershipRegistry.inMemory();
    List<String> held = new ArrayList<>();
    for (int s = 0; s < subjects; s++) {
      if (!ledger.isErased(SubjectId.of("C" + s))) {
        held.add("C" + s);
      }
    }
    if (held.size() >= 2) { // k-means with two segments
      registry.register(ActivationProperties.spendRun(ledger, LawfulBasisGate.allowList(held),
          subjects, day(1)), "spend segments");
    }
    Watched store = new Watched();
    ComplianceMonitor.forLedger(ledger)
        .policies(List.of(otherPolicy ? policy(true, false, expiryDays + 1) : policy))
        .snapshots(store).build().saveSnapshots(snapshotAt);
    append(ledger, random, after, subjects, at);

    ComplianceStatus fast = monitor(ledger, policy, registry, trusted, Optional.of(store))
        .status(at);
    ComplianceStatus full = monitor(ledger, policy, registry, trusted, Optional.empty())
        .status(at);
    // The snapshot was read unless it was made under another policy.
    assertThat(store.reads).isEqualTo(otherPolicy ? 0 : 1);
    assertThat(fast.coverage()).isEqualTo(full.coverage());
    assertThat(fast.runs()).isEqualTo(full.runs());
    assertThat(fast.ledger()).isEqualTo(full.ledger());
  }

  @Test
  void aSnapshotWhosePartsWereAlteredIsRefused() {
    SplittableRandom random = new SplittableRandom(7);
    ConsentLedger ledger = ConsentLedger.open(new InMemoryLedgerStore(), Fixtures.KEYER,
        new InMemorySubjectDirectory());
    append(ledger, random, 100, 20, day(200));
    ConsentPolicy policy = policy(true, true, 30);
    Watched store = new Watched();
    ComplianceMonitor monitor = monitor(ledger, policy, MembershipRegistry.inMemory(),
        ledger.verify().head().orElseThrow(), Optional.of(store));
    monitor.saveSnapshots(day(150));
    assertThat(monitor.status(day(160)).coverage()).isEqualTo(monitor(ledger, policy,
        MembershipRegistry.inMemory(), ledger.verify().head().orElseThrow(), Optional.empty())
        .status(day(160)).coverage());

    byte[] last = store.saved.get(store.saved.size() - 1);
    last[last.length - 5] ^= 1; // a state's flags, say
    assertThatThrownBy(() -> monitor.status(day(160)))
        .isInstanceOf(ConsentException.class)
        .hasMessageContaining("no longer has its digest: it was altered or damaged");
  }

  /**
   * Snapshots in memory, counting the reads of their parts and handing out the parts as they
   * are in {@link #saved} (which a test may alter).
   */
  private static final class Watched implements StatusSnapshots {
    private final StatusSnapshots inner = StatusSnapshots.inMemory();
    final List<byte[]> saved = new ArrayList<>();
    int reads;

    @Override
    public StatusSnapshot save(StatusSnapshot snapshot, List<byte[]> parts) {
      saved.clear();
      saved.addAll(parts);
      return inner.save(snapshot, parts);
    }

    @Override
    public Optional<StatusSnapshot> latest(String purpose) {
      return inner.latest(purpose);
    }

    @Override
    public void parts(long id, java.util.function.Consumer<byte[]> visitor) {
      reads++;
      saved.forEach(visitor);
    }
  }

  private static ConsentPolicy policy(boolean directMarketing, boolean optOut, int expiryDays) {
    ConsentPolicy.Builder b = ConsentPolicy.forPurpose(Purposes.MARKETING_SEGMENTATION)
        .directMarketing(directMarketing).optOutOfSaleOrSharingExcludes(optOut);
    return (expiryDays == 0 ? b : b.consentExpiresAfter(Period.ofDays(expiryDays))).build();
  }

  private static ComplianceMonitor monitor(ConsentLedger ledger, ConsentPolicy policy,
      MembershipRegistry registry, Checkpoint trusted, Optional<StatusSnapshots> snapshots) {
    ComplianceMonitor.Builder b = ComplianceMonitor.forLedger(ledger).policies(List.of(policy))
        .runs(registry, ActivationLog.inMemory()).trustedCheckpoint(trusted).weeks(40);
    snapshots.ifPresent(b::snapshots);
    return b.build();
  }

  /** Appends {@code events} random events of subjects C0.. over days 0..200. */
  private static void append(ConsentLedger ledger, SplittableRandom random, int events,
      int subjects, Instant latestErasure) {
    for (int e = 0; e < events; e++) {
      SubjectId subject = SubjectId.of("C" + random.nextInt(subjects));
      if (ledger.isErased(subject)) {
        continue;
      }
      EventType type = TYPES[random.nextInt(TYPES.length)];
      Instant when = day(random.nextInt(200)).plusSeconds(random.nextInt(86_400));
      if (type == EventType.ERASURE && when.isAfter(latestErasure)) {
        when = latestErasure; // the directory forgets at once: never in a status's future
      }
      boolean everyPurpose = type == EventType.OPT_OUT_OF_SALE_OR_SHARING
          || type == EventType.RESTRICTION || type == EventType.RESTRICTION_LIFTED
          || type == EventType.ERASURE;
      ledger.append(new EventDraft(ledger.keyOf(subject), everyPurpose
          ? ConsentEvent.ALL_PURPOSES : Purposes.MARKETING_SEGMENTATION.id(), type, when,
          EventSource.WEB_FORM, "notice-" + random.nextInt(3), "crm", ""));
    }
  }
}
