package dev.privseg.consent.rights;

import dev.privseg.consent.ConsentException;
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
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Carries out what data subjects ask: access and portability exports, restriction, objection,
 * opt-out, rectification and erasure. Each request is recorded in the {@link RequestLog} (who,
 * when, its time limit, what was done; no personal values), and each change is a ledger event,
 * so the next run honours it. Thread-safe.
 *
 * <pre>{@code
 * SubjectRights rights = new SubjectRights(ledger, List.of(policy), pseudonymizer, registry, log);
 * String json = rights.access(SubjectId.of("C1001"), Instant.now(), "dpo-desk").toJson();
 * rights.erase(SubjectId.of("C1001"), Instant.now(), "dpo-desk");
 * }</pre>
 *
 * <p>A request that cannot be answered at once is {@link #receive received} first: it is logged
 * open, with its time limit under the configured {@link RequestRegime} (GDPR by default, in UTC;
 * see {@link #withDeadlines}), and the next request of that type carried out for that subject
 * answers it. A request may be {@link #extend extended} once, with a reason, or
 * {@link #refuse refused}, with a reason; {@link RequestLog#open()} lists what is still open,
 * and {@link SubjectRequest#isOverdue} says what is late.
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
  private final RequestRegime regime;
  private final ZoneId zone;

  /**
   * Rights over {@code ledger}, with the policies of the host's purposes; requests run under
   * the GDPR's time limits, days ending in UTC.
   */
  public SubjectRights(ConsentLedger ledger, List<ConsentPolicy> policies,
      Pseudonymizer pseudonymizer, MembershipRegistry registry, RequestLog log) {
    this(ledger, policies, pseudonymizer, registry, log, RequestRegime.GDPR, ZoneOffset.UTC);
  }

  private SubjectRights(ConsentLedger ledger, List<ConsentPolicy> policies,
      Pseudonymizer pseudonymizer, MembershipRegistry registry, RequestLog log,
      RequestRegime regime, ZoneId zone) {
    this.ledger = Checks.notNull(ledger, "ledger");
    this.policies = List.copyOf(Checks.notNull(policies, "policies"));
    this.pseudonymizer = Checks.notNull(pseudonymizer, "pseudonymizer");
    this.registry = Checks.notNull(registry, "registry");
    this.log = Checks.notNull(log, "request log");
    this.regime = Checks.notNull(regime, "regime");
    this.zone = Checks.notNull(zone, "time zone");
  }

  /**
   * These rights with requests logged from now on under {@code regime}'s time limits, a day
   * ending at midnight in {@code zone} (the controller's time zone).
   */
  public SubjectRights withDeadlines(RequestRegime regime, ZoneId zone) {
    return new SubjectRights(ledger, policies, pseudonymizer, registry, log, regime, zone);
  }

  /**
   * Logs a request of {@code type} about {@code subject}, received at {@code receivedAt}, to be
   * answered later: open, with its time limit. Carrying out a request of that type for that
   * subject answers it. A request about an erased subject is answered at once: nothing is held.
   *
   * @return the logged request, with its id and due time
   */
  public SubjectRequest receive(SubjectId subject, RequestType type, Instant receivedAt,
      String actor) {
    Checks.notNull(subject, "subject");
    Checks.notNull(type, "request type");
    Checks.notBlank(actor, "actor");
    Instant due = regime.due(type, receivedAt, zone);
    String requestId = UUID.randomUUID().toString();
    SubjectRequest request = ledger.isErased(subject)
        ? new SubjectRequest(requestId, type, SubjectRequest.UNLINKED, receivedAt, actor,
            "subject was erased: nothing is held", RequestStatus.COMPLETED, regime, due, null,
            receivedAt)
        // Read only: the lookup key, which receiving a request never turns into ledger keys.
        : new SubjectRequest(requestId, type, ledger.keyer().key(subject).hex(), receivedAt,
            actor, "received", RequestStatus.OPEN, regime, due, null, null);
    log.record(request);
    return request;
  }

  /**
   * Extends the time limit of open request {@code requestId}, once, for {@code reason} (which
   * the subject must be told, within the first time limit): GDPR by two further months, CCPA by
   * 45 days.
   *
   * @param at when the extension is decided; before the first time limit
   * @param reason why, as the subject is told it; no personal values
   * @throws ConsentException naming the request if it is unknown, answered, already extended,
   *     past its first time limit, or of a kind whose limit cannot be extended
   */
  public SubjectRequest extend(String requestId, String reason, Instant at, String actor) {
    Checks.notBlank(reason, "reason");
    Checks.check(reason.length() <= 512, "an extension's reason has at most 512 characters");
    Checks.notBlank(actor, "actor");
    SubjectRequest r = openRequest(requestId);
    if (r.status() == RequestStatus.EXTENDED) {
      throw new ConsentException("request " + requestId + " was extended already: a time "
          + "limit is extended once");
    }
    if (!Checks.notNull(at, "at").isBefore(r.dueAt())) {
      throw new ConsentException("request " + requestId + " is past its time limit ("
          + r.dueAt() + "): an extension must be decided, and the subject told, within it");
    }
    Instant due = r.regime().extendedDue(r.type(), r.receivedAt(), zone).orElseThrow(() ->
        new ConsentException("request " + requestId + " (" + r.type() + " under " + r.regime()
            + ") cannot be extended"));
    SubjectRequest extended = r.extended(due, reason, actor);
    log.record(extended);
    return extended;
  }

  /**
   * Answers open request {@code requestId} with a refusal for {@code reason} (GDPR Art. 12(4)
   * and (5): manifestly unfounded or excessive, or the requester's identity not established).
   *
   * @param reason why, as the subject is told it; no personal values
   * @throws ConsentException naming the request if it is unknown or answered
   */
  public SubjectRequest refuse(String requestId, String reason, Instant at, String actor) {
    Checks.notBlank(reason, "reason");
    Checks.notBlank(actor, "actor");
    SubjectRequest open = openRequest(requestId);
    answerableAt(List.of(open), at);
    SubjectRequest refused = open.answered(RequestStatus.REFUSED, at, actor,
        "refused: " + reason);
    log.record(refused);
    return refused;
  }

  private SubjectRequest openRequest(String requestId) {
    Checks.notBlank(requestId, "request id");
    SubjectRequest r = log.find(requestId).orElseThrow(() ->
        new ConsentException("no request " + requestId + " is logged"));
    if (!r.isOpen()) {
      throw new ConsentException("request " + requestId + " was answered already ("
          + r.status() + " at " + r.closedAt() + ")");
    }
    return r;
  }

  /**
   * The access and portability export of {@code subject} as of {@code at}; answers the
   * subject's oldest open access request, if any.
   */
  public AccessExport access(SubjectId subject, Instant at, String actor) {
    if (ledger.isErased(subject)) {
      String requestId = recordUnlinked(RequestType.ACCESS, at, actor,
          "subject was erased: nothing is held").requestId();
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
    Optional<SubjectRequest> pending = pending(RequestType.ACCESS, keys(subject, key));
    answerableAt(pending.stream().toList(), at);
    String requestId = pending.map(SubjectRequest::requestId)
        .orElseGet(() -> UUID.randomUUID().toString());
    AccessExport export = new AccessExport("privseg-access-export/1", requestId,
        Instant.now().toString(), subject.value(), events, states, pseudonyms, memberships);
    answer(pending, requestId, RequestType.ACCESS,
        key.orElseGet(() -> ledger.keyer().key(subject)), at, actor,
        "exported " + events.size() + " events, " + states.size() + " purposes, "
            + pseudonyms.size() + " pseudonyms, " + memberships.size() + " memberships");
    return export;
  }

  /** Restricts all processing of {@code subject} from {@code at} (GDPR Art. 18). */
  public SubjectRequest restrict(SubjectId subject, Instant at, String actor) {
    return change(subject, ConsentEvent.ALL_PURPOSES, EventType.RESTRICTION,
        RequestType.RESTRICTION, at, actor);
  }

  /** Lifts a restriction from {@code at} (GDPR Art. 18(3)). */
  public SubjectRequest liftRestriction(SubjectId subject, Instant at, String actor) {
    return change(subject, ConsentEvent.ALL_PURPOSES, EventType.RESTRICTION_LIFTED,
        RequestType.RESTRICTION_LIFTED, at, actor);
  }

  /** Records an objection to {@code purpose} from {@code at} (GDPR Art. 21). */
  public SubjectRequest object(SubjectId subject, PurposeId purpose, Instant at, String actor) {
    return change(subject, purpose, EventType.OBJECTION, RequestType.OBJECTION, at, actor);
  }

  /** Records an opt-out of sale or sharing, for every purpose, from {@code at} (CCPA/CPRA). */
  public SubjectRequest optOutOfSaleOrSharing(SubjectId subject, Instant at, String actor) {
    return change(subject, ConsentEvent.ALL_PURPOSES, EventType.OPT_OUT_OF_SALE_OR_SHARING,
        RequestType.OPT_OUT, at, actor);
  }

  /**
   * Records a rectification request for {@code field} (GDPR Art. 16). The library holds no
   * customer attributes, so the correction is the controller's; the log records that it was
   * asked for and forwarded, and the next run reads the corrected data.
   */
  public SubjectRequest rectify(SubjectId subject, String field, Instant at, String actor) {
    Checks.notBlank(field, "field");
    Optional<SubjectKey> key = ledger.existingKeyOf(subject);
    Optional<SubjectRequest> pending = pending(RequestType.RECTIFICATION, keys(subject, key));
    answerableAt(pending.stream().toList(), at);
    return answer(pending, UUID.randomUUID().toString(), RequestType.RECTIFICATION,
        key.orElseGet(() -> ledger.keyer().key(subject)), at, actor,
        "rectification of field '" + field + "' forwarded to the controller");
  }

  /**
   * Erases {@code subject} (GDPR Art. 17): a terminal erasure event for every purpose, so every
   * later run excludes the subject, and the subject's registered memberships are forgotten. It
   * answers the subject's oldest open erasure request, if any, and every other open request of
   * the subject: nothing is held any more.
   */
  public SubjectRequest erase(SubjectId subject, Instant at, String actor) {
    Checks.notBlank(actor, "actor");
    if (ledger.isErased(subject)) {
      return recordUnlinked(RequestType.ERASURE, at, actor, "already erased");
    }
    Optional<SubjectKey> ledgerKey = ledger.existingKeyOf(subject);
    java.util.Set<String> keys = keys(subject, ledgerKey);
    List<SubjectRequest> open = log.open().stream()
        .filter(r -> keys.contains(r.subjectKey())).toList();
    answerableAt(open, at);
    boolean held = ledgerKey.isPresent() && ledger.directory().isPresent();
    Optional<Pseudonym> pseudonym = pseudonymizer.existing(subject);
    boolean proof = ledger.erase(subject, at, actor).isPresent();
    // After the directory entry is gone: a registration that committed before sees its
    // memberships forgotten here, and one after leaves the erased pseudonym out.
    int forgotten = pseudonym.map(p -> registry.forget(p.value())).orElse(0);
    // Nothing in the log may link the person to what remains: earlier entries lose their key,
    // and this one never has it.
    log.unlink(keys);
    String outcome = (proof ? "erasure event recorded for all purposes" : "no ledger events held")
        + (!ledger.directory().isPresent() ? ""
            : held ? "; ledger keys and pseudonym deleted"
                : "; no keys were held; later runs exclude the subject")
        + "; " + forgotten + " memberships forgotten";
    Optional<SubjectRequest> pending = open.stream()
        .filter(r -> r.type() == RequestType.ERASURE).findFirst();
    for (SubjectRequest r : open) {
      if (pending.isEmpty() || !r.requestId().equals(pending.get().requestId())) {
        log.record(r.unlinked().answered(RequestStatus.COMPLETED, at, actor,
            "answered by the subject's erasure: nothing is held"));
      }
    }
    return pending.map(r -> {
      SubjectRequest answered = r.unlinked().answered(RequestStatus.COMPLETED, at, actor,
          outcome);
      log.record(answered);
      return answered;
    }).orElseGet(() -> recordUnlinked(RequestType.ERASURE, at, actor, outcome));
  }

  private SubjectRequest change(SubjectId subject, PurposeId purpose, EventType event,
      RequestType type, Instant at, String actor) {
    Checks.notBlank(actor, "actor");
    SubjectKey key = ledger.keyOf(subject);
    Optional<SubjectRequest> pending = pending(type, keys(subject, Optional.of(key)));
    answerableAt(pending.stream().toList(), at);
    ConsentEvent e = ledger.append(new EventDraft(key, purpose, event, at,
        EventSource.SUBJECT_REQUEST, "", actor, ""));
    return answer(pending, UUID.randomUUID().toString(), type, key, at, actor,
        "recorded " + event + " for " + purpose + " as ledger event " + e.sequence());
  }

  /**
   * Refuses, before anything changes, to answer a request at a time before it was received.
   *
   * @throws ConsentException naming the request
   */
  private static void answerableAt(List<SubjectRequest> open, Instant at) {
    Checks.notNull(at, "at");
    for (SubjectRequest r : open) {
      if (at.isBefore(r.receivedAt())) {
        throw new ConsentException("request " + r.requestId() + " was received at "
            + r.receivedAt() + ": it cannot be answered at " + at + ", before that");
      }
    }
  }

  /** Every key a request about {@code subject} may be logged under: lookup and ledger key. */
  private java.util.Set<String> keys(SubjectId subject, Optional<SubjectKey> ledgerKey) {
    java.util.Set<String> keys = new java.util.HashSet<>();
    keys.add(ledger.keyer().key(subject).hex());
    ledgerKey.ifPresent(k -> keys.add(k.hex()));
    return keys;
  }

  /** The oldest open request of {@code type} logged under one of {@code keys}, if any. */
  private Optional<SubjectRequest> pending(RequestType type, java.util.Set<String> keys) {
    return log.open().stream()
        .filter(r -> r.type() == type && keys.contains(r.subjectKey())).findFirst();
  }

  /**
   * Logs a request answered at {@code at}: {@code pending}, if there is one, else a new one
   * (id {@code requestId}) received then, under {@code key}.
   */
  private SubjectRequest answer(Optional<SubjectRequest> pending, String requestId,
      RequestType type, SubjectKey key, Instant at, String actor, String outcome) {
    Checks.notBlank(actor, "actor");
    SubjectRequest answered = pending.map(r -> r.answered(RequestStatus.COMPLETED, at, actor,
        outcome)).orElseGet(() -> new SubjectRequest(requestId, type, key.hex(), at, actor,
            outcome, RequestStatus.COMPLETED, regime, regime.due(type, at, zone), null, at));
    log.record(answered);
    return answered;
  }

  /** Records a request about an erased subject, answered at once and naming no one. */
  private SubjectRequest recordUnlinked(RequestType type, Instant at, String actor,
      String outcome) {
    SubjectRequest r = new SubjectRequest(UUID.randomUUID().toString(), type,
        SubjectRequest.UNLINKED, at, Checks.notBlank(actor, "actor"), outcome,
        RequestStatus.COMPLETED, regime, regime.due(type, at, zone), null, at);
    log.record(r);
    return r;
  }
}
