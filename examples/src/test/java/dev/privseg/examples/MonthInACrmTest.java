package dev.privseg.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.ComplianceStatus;
import dev.privseg.consent.rights.RequestStatus;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import dev.privseg.core.gate.BasisDecision;
import dev.privseg.core.pseudonymize.KeyProvider;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The month in a CRM holds together: the run goes stale by exactly the withdrawals, objections
 * and the erasure of the month, and by the consents that lapsed; the activation on the 15th
 * leaves out those who left by then;
 * the access request is answered within its time limit; the status on the 30th shows all of it.
 */
class MonthInACrmTest {
  @Test
  void aMonthInACrm(@TempDir Path dir) {
    try (ConsentDatabase db = ConsentDatabase.h2(dir.resolve("consent-db"))) {
      MonthInACrm.Month m = MonthInACrm.run(db, KeyProvider.ephemeral(), 2_000);

      assertThat(m.segmented()).isGreaterThan(1_000);
      assertThat(m.served().status()).isEqualTo(RequestStatus.COMPLETED);
      assertThat(m.served().closedAt()).isBefore(m.served().dueAt());
      assertThat(m.activated().members()).isEqualTo(m.segmented() - 1); // one erased
      assertThat(m.activated().allowed()).isLessThan(m.activated().members());
      assertThat(m.activated().excluded()).containsKeys(BasisDecision.CONSENT_WITHDRAWN);

      ComplianceStatus s = m.status();
      assertThat(s.ledger().intact()).isTrue();
      ComplianceStatus.Run run = s.runs().stream().filter(r -> r.runId().equals(m.runId()))
          .findFirst().orElseThrow();
      assertThat(run.stale()).isTrue();
      assertThat(run.lost()).containsEntry("ERASED", 1L);
      assertThat(run.allowed() + run.lost().values().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(m.segmented());
      // Every change was made by the 14th and the 15th's activation saw them all; since then,
      // only two-year consents given in the second half of November 2024 have lapsed.
      long lapsedSince = run.lost().getOrDefault("CONSENT_EXPIRED", 0L)
          - m.activated().excluded().getOrDefault(BasisDecision.CONSENT_EXPIRED, 0L);
      assertThat(lapsedSince).isPositive();
      assertThat(run.allowed()).isEqualTo(m.activated().allowed() - lapsedSince);
      assertThat(run.activations()).isEqualTo(1);
      assertThat(run.pastRetention()).isFalse();
      assertThat(s.requests().overdue()).isZero();
      // The sign-ups of the 18th joined the month's segments on the 20th, without a new fit.
      assertThat(m.joined().report().counts().inputRows()).isEqualTo(100);
      assertThat(m.joined().assignments().size()).isPositive()
          .isEqualTo(m.joined().report().counts().processedRows());
      assertThat(m.joined().report().segmentation().algorithm())
          .isEqualTo("incremental assignment of run " + m.runId());
      assertThat(s.runs()).hasSize(2);
      assertThat(m.register().activities()).singleElement().satisfies(a -> {
        assertThat(a.runs()).extracting(r -> r.runId())
            .containsExactlyInAnyOrder(m.runId(), m.joined().report().runId());
        assertThat(a.recipients()).containsExactly("e-mail service provider (processor)");
      });
      assertThat(s.coverage().get(0).weeks().stream()
          .mapToLong(ComplianceStatus.Week::withdrawals).sum()).isPositive();
    }
  }
}
