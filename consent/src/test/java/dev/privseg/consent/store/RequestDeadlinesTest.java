package dev.privseg.consent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.consent.ConsentException;
import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.Fixtures;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.consent.ledger.EventType;
import dev.privseg.consent.rights.AccessExport;
import dev.privseg.consent.rights.MembershipRegistry;
import dev.privseg.consent.rights.RequestLog;
import dev.privseg.consent.rights.RequestRegime;
import dev.privseg.consent.rights.RequestStatus;
import dev.privseg.consent.rights.RequestType;
import dev.privseg.consent.rights.SubjectRequest;
import dev.privseg.consent.rights.SubjectRights;
import dev.privseg.core.Purposes;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests with their time limits, in memory, on H2 and on PostgreSQL: received open with the
 * regime's due time, listed open, overdue and due soon, answered by the next request of their
 * kind carried out for the subject (on time or late), extended once with a reason within the
 * first limit, refused with a reason, answered by the subject's erasure; mistakes refused naming
 * the request, before anything changes.
 */
class RequestDeadlinesTest {
  private static final Instant RECEIVED = Instant.parse("2027-01-31T09:00:00Z");
  private static final Instant DUE = Instant.parse("2027-03-01T00:00:00Z");

  @Test
  void inMemory() {
    scenario(ConsentLedger.inMemory(Fixtures.KEYER), RequestLog.inMemory());
  }

  @Test
  void onH2(@TempDir Path dir) throws Exception {
    Databases.onH2(dir, (ds, db) -> scenario(db.ledger(Fixtures.KEYER), db.requestLog()));
  }

  @Test
  void onPostgres() throws Exception {
    Databases.onPostgres((ds, db) -> scenario(db.ledger(Fixtures.KEYER), db.requestLog()));
  }

  private static void scenario(ConsentLedger ledger, RequestLog log) {
    SubjectRights rights = new SubjectRights(ledger, List.of(ConsentPolicy.forPurpose(
            Purposes.MARKETING_SEGMENTATION).build()),
        Pseudonymizer.hmacSha256(KeyProvider.ephemeral()), MembershipRegistry.inMemory(), log);
    SubjectId ann = SubjectId.of("C1");
    SubjectId bob = SubjectId.of("C2");
    ledger.append(Fixtures.event(ledger.keyOf(ann), Fixtures.MARKETING, EventType.CONSENT_GIVEN,
        1));

    // Received: open, due a month later (the last day of February), listed.
    SubjectRequest access = rights.receive(ann, RequestType.ACCESS, RECEIVED, "dpo-desk");
    assertThat(access.status()).isEqualTo(RequestStatus.OPEN);
    assertThat(access.regime()).isEqualTo(RequestRegime.GDPR);
    assertThat(access.dueAt()).isEqualTo(DUE);
    assertThat(access.closedAt()).isNull();
    assertThat(log.open()).containsExactly(access);
    assertThat(access.isOverdue(DUE.minusSeconds(1))).isFalse();
    assertThat(access.isOverdue(DUE)).isTrue();
    assertThat(access.isDueWithin(DUE.minus(Duration.ofDays(7)), Duration.ofDays(7))).isTrue();
    assertThat(access.isDueWithin(DUE.minus(Duration.ofDays(8)), Duration.ofDays(7))).isFalse();

    // Carrying out an access request for the subject answers it, on time, under its own id.
    Instant answered = Instant.parse("2027-02-20T10:00:00Z");
    AccessExport export = rights.access(ann, answered, "dpo-desk");
    assertThat(export.requestId()).isEqualTo(access.requestId());
    SubjectRequest done = log.find(access.requestId()).orElseThrow();
    assertThat(done.status()).isEqualTo(RequestStatus.COMPLETED);
    assertThat(done.receivedAt()).isEqualTo(RECEIVED);
    assertThat(done.closedAt()).isEqualTo(answered);
    assertThat(done.outcome()).startsWith("exported 1 events");
    assertThat(done.wasAnsweredLate()).isFalse();
    assertThat(log.open()).isEmpty();

    // Extended once, with a reason, within the first limit; the second extension and an
    // extension past the limit are refused, naming the request.
    SubjectRequest erasure = rights.receive(ann, RequestType.ERASURE, RECEIVED, "dpo-desk");
    SubjectRequest objection = rights.receive(ann, RequestType.OBJECTION, RECEIVED, "dpo-desk");
    assertThatThrownBy(() -> rights.extend(erasure.requestId(), "backups", DUE, "dpo-desk"))
        .isInstanceOf(ConsentException.class)
        .hasMessage("request " + erasure.requestId() + " is past its time limit (" + DUE
            + "): an extension must be decided, and the subject told, within it");
    SubjectRequest extended = rights.extend(erasure.requestId(),
        "copies in three archives to erase", DUE.minusSeconds(60), "dpo-desk");
    assertThat(extended.status()).isEqualTo(RequestStatus.EXTENDED);
    assertThat(extended.dueAt()).isEqualTo("2027-05-01T00:00:00Z");
    assertThat(extended.extension()).isEqualTo("copies in three archives to erase");
    assertThatThrownBy(() -> rights.extend(erasure.requestId(), "more", RECEIVED, "dpo-desk"))
        .isInstanceOf(ConsentException.class)
        .hasMessage("request " + erasure.requestId() + " was extended already: a time limit is "
            + "extended once");
    assertThat(log.open()).extracting(SubjectRequest::requestId)
        .containsExactly(erasure.requestId(), objection.requestId());

    // Answering before receipt is refused before anything changes: no erasure happens.
    assertThatThrownBy(() -> rights.erase(ann, RECEIVED.minusSeconds(1), "dpo-desk"))
        .isInstanceOf(ConsentException.class)
        .hasMessageContaining("request " + erasure.requestId() + " was received at ");
    assertThat(ledger.isErased(ann)).isFalse();

    // Erasure answers the erasure request, late, and the subject's other open request; neither
    // names the subject any more.
    Instant late = Instant.parse("2027-05-02T10:00:00Z");
    SubjectRequest erased = rights.erase(ann, late, "dpo-desk");
    assertThat(erased.requestId()).isEqualTo(erasure.requestId());
    assertThat(erased.wasAnsweredLate()).isTrue();
    assertThat(erased.subjectKey()).isEqualTo(SubjectRequest.UNLINKED);
    SubjectRequest objected = log.find(objection.requestId()).orElseThrow();
    assertThat(objected.status()).isEqualTo(RequestStatus.COMPLETED);
    assertThat(objected.outcome()).isEqualTo("answered by the subject's erasure: nothing is held");
    assertThat(objected.subjectKey()).isEqualTo(SubjectRequest.UNLINKED);
    assertThat(log.open()).isEmpty();

    // Under the CCPA an opt-out is due in 15 business days and cannot be extended; refused with
    // a reason, it is answered; answered requests and unknown ids are refused, named.
    SubjectRights ccpa = rights.withDeadlines(RequestRegime.CCPA, ZoneOffset.UTC);
    SubjectRequest optOut = ccpa.receive(bob, RequestType.OPT_OUT,
        Instant.parse("2027-01-08T10:00:00Z"), "web-form");
    assertThat(optOut.dueAt()).isEqualTo("2027-01-29T00:00:00Z");
    assertThatThrownBy(() -> ccpa.extend(optOut.requestId(), "volume",
        Instant.parse("2027-01-09T10:00:00Z"), "dpo-desk"))
        .isInstanceOf(ConsentException.class)
        .hasMessage("request " + optOut.requestId() + " (OPT_OUT under CCPA) cannot be extended");
    SubjectRequest refused = ccpa.refuse(optOut.requestId(), "identity not established",
        Instant.parse("2027-01-12T10:00:00Z"), "dpo-desk");
    assertThat(refused.status()).isEqualTo(RequestStatus.REFUSED);
    assertThat(refused.outcome()).isEqualTo("refused: identity not established");
    assertThatThrownBy(() -> ccpa.refuse(optOut.requestId(), "again", late, "dpo-desk"))
        .isInstanceOf(ConsentException.class)
        .hasMessageStartingWith("request " + optOut.requestId() + " was answered already");
    assertThatThrownBy(() -> ccpa.refuse("no-such-request", "x", late, "dpo-desk"))
        .isInstanceOf(ConsentException.class).hasMessage("no request no-such-request is logged");

    // A request carried out at once is logged received and answered then, with its limit.
    SubjectRequest restriction = ccpa.restrict(bob, late, "dpo-desk");
    assertThat(restriction.receivedAt()).isEqualTo(late);
    assertThat(restriction.closedAt()).isEqualTo(late);
    assertThat(restriction.regime()).isEqualTo(RequestRegime.CCPA);
    assertThat(restriction.dueAt()).isEqualTo("2027-06-16T00:00:00Z");
    assertThat(log.requests()).hasSize(5);
  }
}
