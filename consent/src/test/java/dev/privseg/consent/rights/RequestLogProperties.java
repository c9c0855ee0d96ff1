package dev.privseg.consent.rights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.ConsentPolicy;
import dev.privseg.consent.Fixtures;
import dev.privseg.consent.ledger.ConsentLedger;
import dev.privseg.core.Purposes;
import dev.privseg.core.SubjectId;
import dev.privseg.core.pseudonymize.KeyProvider;
import dev.privseg.core.pseudonymize.Pseudonymizer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever requests arrive and are carried out, in any order: a request carried out answers the
 * oldest open request of its kind for its subject and no other; erasure answers all of the
 * subject's; the open requests are exactly those received and not yet answered; every entry is
 * answered after it was received, at most once, and its time limit is its regime's.
 */
class RequestLogProperties {
  private static final List<RequestType> CARRIED_OUT = List.of(RequestType.ACCESS,
      RequestType.RESTRICTION, RequestType.OBJECTION, RequestType.OPT_OUT,
      RequestType.RECTIFICATION);

  /** One step: what happens (0 receive, 1 carry out, 2 erase), to whom, of what kind. */
  record Step(int action, int subject, int kind, int days) {}

  @Property(tries = 200)
  void theOpenRequestsAreThoseReceivedAndNotYetAnswered(@ForAll("steps") List<Step> steps) {
    ConsentLedger ledger = ConsentLedger.inMemory(Fixtures.KEYER);
    RequestLog log = RequestLog.inMemory();
    SubjectRights rights = new SubjectRights(ledger, List.of(ConsentPolicy.forPurpose(
            Purposes.MARKETING_SEGMENTATION).build()),
        Pseudonymizer.hmacSha256(KeyProvider.ephemeral()), MembershipRegistry.inMemory(), log)
        .withDeadlines(RequestRegime.CCPA, ZoneOffset.UTC);
    // The model: each subject's open request ids by kind, oldest first; erased subjects.
    Map<String, List<String>> open = new LinkedHashMap<>();
    boolean[] erased = new boolean[3];
    Instant at = Instant.parse("2027-01-01T00:00:00Z");
    for (Step step : steps) {
      at = at.plusSeconds(86_400L * step.days() + 1);
      SubjectId subject = SubjectId.of("S" + step.subject());
      RequestType type = CARRIED_OUT.get(step.kind());
      String slot = step.subject() + "/" + type;
      if (step.action() == 0) {
        SubjectRequest r = rights.receive(subject, type, at, "desk");
        if (!erased[step.subject()]) {
          open.computeIfAbsent(slot, s -> new ArrayList<>()).add(r.requestId());
        } else {
          assertThat(r.isOpen()).isFalse();
        }
      } else if (step.action() == 1 && !erased[step.subject()]) {
        String answered = switch (type) {
          case ACCESS -> rights.access(subject, at, "desk").requestId();
          case RESTRICTION -> rights.restrict(subject, at, "desk").requestId();
          case OBJECTION -> rights.object(subject, Fixtures.MARKETING, at, "desk").requestId();
          case OPT_OUT -> rights.optOutOfSaleOrSharing(subject, at, "desk").requestId();
          default -> rights.rectify(subject, "email", at, "desk").requestId();
        };
        List<String> waiting = open.getOrDefault(slot, new ArrayList<>());
        if (!waiting.isEmpty()) {
          assertThat(answered).as("the oldest open request answered").isEqualTo(waiting.get(0));
          waiting.remove(0);
        }
      } else if (step.action() == 2) {
        rights.erase(subject, at, "desk");
        open.keySet().removeIf(s -> s.startsWith(step.subject() + "/"));
        // A subject of whom nothing was held leaves no tombstone: later requests are new.
        erased[step.subject()] = ledger.isErased(subject);
      }
      List<String> expected = new ArrayList<>();
      open.values().forEach(expected::addAll);
      assertThat(log.open()).extracting(SubjectRequest::requestId)
          .containsExactlyInAnyOrderElementsOf(expected);
    }
    for (SubjectRequest r : log.requests()) {
      assertThat(r.dueAt()).isEqualTo(r.regime().due(r.type(), r.receivedAt(), ZoneOffset.UTC));
      if (!r.isOpen()) {
        assertThat(r.closedAt()).isAfterOrEqualTo(r.receivedAt());
      }
    }
    assertThat(log.requests()).extracting(SubjectRequest::requestId).doesNotHaveDuplicates();
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    return net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 9),
        Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 4),
        Arbitraries.integers().between(0, 20))
        .as((a, s, k, d) -> new Step(a < 5 ? 0 : a < 9 ? 1 : 2, s, k, d))
        .list().ofMaxSize(40);
  }
}
