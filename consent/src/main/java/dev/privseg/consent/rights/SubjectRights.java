package dev.privseg.consent.rights;

import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.ledger.ConsentEvent;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.ConsentState;
import dev.privseg.consent.ledger.EventDraft;
import dev.privseg.consent.ledger.EventSource;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.ledger.SubjectKey;
import dev.privseg.core.Checks;
import dev.privseg.core.PurposeId;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pseudonymize.Pseudonym;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Carries out what data subjects ask: access and portability exports, restriction, objection,
 * opt-out, rectification and erasure. Each request is recorded in the {@link RequestLog} (who,
 * when, what was done; no personal values), and each change is a ledger event, so the next run
 * honours it. Thread-safe.
 *
 * <pre>{@code
 * SubjectRights rights = new SubjectRights(ledger, List.of(policy), pseudonymizer, registry, log);
 * String json = rights.access(SubjectId.of("C1001"), Instant.now(), "dpo-desk").toJson();
 * rights.erase(SubjectId.of("C1001"), Instant.now(), "dpo-desk");
 * }</pre>
 *
 * <p>Erasure records a terminal {@link EventType#ERASURE} event (every later run excludes the
 * subject) and forgets the subject's registered memberships. With a ledger opened on a
 * {@link dev.privseg.consent.directory.SubjectDirectory} (and its
 * {@link dev.privseg.consent.directory.DirectoryPseudonymizer}), it also deletes the subject's
 * random ledger key and pseudonym: the earlier events stay in the hash chain but name no one, and
 * pseudonyms in earlier outputs can no longer be linked. Without a directory, earlier events stay
 * keyed by the keyed hash of the identifier.
 */
public final class SubjectRights {
  private final ConsentLedger ledger;
  private final List<ConsentPolicy> policies;
  private final Pseudonymizer pseudonymizer;
  private final MembershipRegistry registry;
  private final RequestLog log;

  /** Rights over {@code ledger}, with the policies of the host's purposes. */
  public SubjectRights(ConsentLedger ledger, List<ConsentPolicy> policies,
      Pseudonymizer pseudonymizer, MembershipRegistry registry, RequestLog log) {
    this.ledger = Checks.notNull(ledger, "ledger");
    this.policies = List.copyOf(Checks.notNull(policies, "policies"));
    this.pseudonymizer = Checks.notNull(pseudonymizer, "pseudonymizer");
    this.registry = Checks.notNull(registry, "registry");
    this.log = Checks.notNull(log, "request log");
  }

  /** The access and portability export of {@code subject} as of {@code at}. */
  public AccessExport access(SubjectId subject, Instant at, String actor) {
    if (ledger.isErased(subject)) {
      String requestId = recordUnlinked(RequestType.ACCESS, at, actor,
          "subject was erased: nothing is held");
      return new AccessExport("privseg-access-export/1", requestId, Instant.now().toString(),
          subject.value(), List.of(), Map.of(), List.of(), List.of());
    }
    // Read only: a subject the library has never seen gets no keys or pseudonym by asking.
    Optional<SubjectKey> key = ledger.existingKeyOf(subject);
    List<AccessExport.Event> events = new ArrayList<>();
    for (ConsentEvent e : key.map(ledger::history).orElse(List.of())) {
      events.add(new AccessExport.Event(e.sequence(), e.purpose().value(), e.type().name(),
          e.occurredAt().toString(), e.recordedAt().toString(), e.source().name(),
          e.noticeVersion(), e.proofReference()));
    }
    // Every purpose the host has a policy for, then every other purpose the subject has events
    // for (Art. 15: all that is held, not only what this host processes).
    Map<String, AccessExport.State> states = new LinkedHashMap<>();
    for (ConsentPolicy p : policies) {
      ConsentState s = ledger.state(subject, p.purpose().id(), at);
      states.put(p.purpose().id().value(), new AccessExport.State(
          p.purpose().requiredBasis().name(), p.decide(s, at).name(),
          s.consentGivenAt().map(Instant::toString).orElse(""), s.objected(), s.optedOut(),
          s.restricted()));
    }
    java.util.TreeSet<String> others = new java.util.TreeSet<>();
    for (AccessExport.Event e : events) {
      if (!states.containsKey(e.purpose())
          && !e.purpose().equals(ConsentEvent.ALL_PURPOSES.value())) {
        others.add(e.purpose());
      }
    }
    for (String purpose : others) {
      ConsentState s = ledger.state(subject, PurposeId.of(purpose), at);
      states.put(purpose, new AccessExport.State(AccessExport.State.NOT_CONFIGURED,
          AccessExport.State.NOT_CONFIGURED, s.consentGivenAt().map(Instant::toString).orElse(""),
          s.objected(), s.optedOut(), s.restricted()));
    }
    Optional<String> pseudonym = pseudonymizer.existing(subject).map(Pseudonym::value);
    List<SegmentMembership> memberships = pseudonym.map(registry::memberships)
        .orElse(List.of());
    List<AccessExport.PseudonymEntry> pseudonyms = pseudonym.map(v -> List.of(
        new AccessExport.PseudonymEntry(pseudonymizer.description(), pseudonymizer.keyId(), v)))
        .orElse(List.of());
    String requestId = UUID.randomUUID().toString();
    AccessExport export = new AccessExport("privseg-access-export/1", requestId,
        Instant.now().toString(), subject.value(), events, states, pseudonyms, memberships);
    record(requestId, RequestType.ACCESS, key.orElseGet(() -> ledger.keyer().key(subject)), at,
        actor, "exported " + events.size() + " events, " + states.size() + " purposes, "
            + pseudonyms.size() + " pseudonyms, " + memberships.size() + " memberships");
    return export;
  }

  /** Restricts all processing of {@code subject} from {@code at} (GDPR Art. 18). */
  public void restrict(SubjectId subject, Instant at, String actor) {
    change(subject, ConsentEvent.ALL_PURPOSES, EventType.RESTRICTION, RequestType.RESTRICTION,
        at, actor);
  }

  /** Lifts a restriction from {@code at} (GDPR Art. 18(3)). */
  public void liftRestriction(SubjectId subject, Instant at, String actor) {
    change(subject, ConsentEvent.ALL_PURPOSES, EventType.RESTRICTION_LIFTED,
        RequestType.RESTRICTION_LIFTED, at, actor);
  }

  /** Records an objection to {@code purpose} from {@code at} (GDPR Art. 21). */
  public void object(SubjectId subject, PurposeId purpose, Instant at, String actor) {
    change(subject, purpose, EventType.OBJECTION, RequestType.OBJECTION, at, actor);
  }

  /** Records an opt-out of sale or sharing, for every purpose, from {@code at} (CCPA/CPRA). */
  public void optOutOfSaleOrSharing(SubjectId subject, Instant at, String actor) {
    change(subject, ConsentEvent.ALL_PURPOSES, EventType.OPT_OUT_OF_SALE_OR_SHARING,
        RequestType.OPT_OUT, at, actor);
  }

  /**
   * Records a rectification request for {@code field} (GDPR Art. 16). The library holds no
   * customer attributes, so the correction is the controller's; the log records that it was
   * asked for and forwarded, and the next run reads the corrected data.
   */
  public void rectify(SubjectId subject, String field, Instant at, String actor) {
    Checks.notBlank(field, "field");
    record(UUID.randomUUID().toString(), RequestType.RECTIFICATION,
        ledger.existingKeyOf(subject).orElseGet(() -> ledger.keyer().key(subject)), at, actor,
        "rectification of field '" + field + "' forwarded to the controller");
  }

  /**
   * Erases {@code subject} (GDPR Art. 17): a terminal erasure event for every purpose, so every
   * later run excludes the subject, and the subject's registered memberships are forgotten.
   */
  public void erase(SubjectId subject, Instant at, String actor) {
    SubjectKey lookup = ledger.keyer().key(subject);
    if (ledger.isErased(subject)) {
      recordUnlinked(RequestType.ERASURE, at, actor, "already erased");
      return;
    }
    Optional<SubjectKey> ledgerKey = ledger.existingKeyOf(subject);
    boolean held = ledgerKey.isPresent() && ledger.directory().isPresent();
    Optional<Pseudonym> pseudonym = pseudonymizer.existing(subject);
    boolean proof = ledger.erase(subject, at, actor).isPresent();
    // After the directory entry is gone: a registration that committed before sees its
    // memberships forgotten here, and one after leaves the erased pseudonym out.
    int forgotten = pseudonym.map(p -> registry.forget(p.value())).orElse(0);
    // Nothing in the log may link the person to what remains: earlier entries lose their key,
    // and this one never has it.
    java.util.Set<String> keys = new java.util.HashSet<>();
    keys.add(lookup.hex());
    ledgerKey.ifPresent(k -> keys.add(k.hex()));
    log.unlink(keys);
    recordUnlinked(RequestType.ERASURE, at, actor,
        (proof ? "erasure event recorded for all purposes" : "no ledger events held")
            + (!ledger.directory().isPresent() ? ""
                : held ? "; ledger keys and pseudonym deleted"
                    : "; no keys were held; later runs exclude the subject")
            + "; " + forgotten + " memberships forgotten");
  }

  private void change(SubjectId subject, PurposeId purpose, EventType event, RequestType type,
      Instant at, String actor) {
    SubjectKey key = ledger.keyOf(subject);
    ConsentEvent e = ledger.append(new EventDraft(key, purpose, event, at,
        EventSource.SUBJECT_REQUEST, "", actor, ""));
    record(UUID.randomUUID().toString(), type, key, at, actor,
        "recorded " + event + " for " + purpose + " as ledger event " + e.sequence());
  }

  /** Records a request about an erased subject, naming no one; returns its id. */
  private String recordUnlinked(RequestType type, Instant at, String actor, String outcome) {
    String requestId = UUID.randomUUID().toString();
    log.record(new SubjectRequest(requestId, type, SubjectRequest.UNLINKED, at,
        Checks.notBlank(actor, "actor"), outcome));
    return requestId;
  }

  private void record(String requestId, RequestType type, SubjectKey key, Instant at,
      String actor, String outcome) {
    log.record(new SubjectRequest(requestId, type, key.hex(), at,
        Checks.notBlank(actor, "actor"), outcome));
  }
}
