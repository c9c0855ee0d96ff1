package dev.privseg.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.privseg.anonymization.dp.BudgetExceededException;
import dev.privseg.anonymization.dp.PrivacyAccountant;
import dev.privseg.anonymization.dp.Rational;
import dev.privseg.consent.store.jdbc.ConsentDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spent privacy budget survives restarts and is shared, through the consent database. */
class PersistentBudgetTest {

  @Test
  void spentBudgetSurvivesARestart(@TempDir Path dir) {
    try (ConsentDatabase db = ConsentDatabase.h2(dir)) {
      PrivacyAccountant first = PrivacyAccountant.persistent("marketing/customers-2026",
          Rational.parse("1"), Rational.ZERO, db.spendLog());
      first.spendPure("profiles, run 1", Rational.parse("0.6"));
    }
    try (ConsentDatabase db = ConsentDatabase.h2(dir)) {
      PrivacyAccountant again = PrivacyAccountant.persistent("marketing/customers-2026",
          Rational.parse("1"), Rational.ZERO, db.spendLog());
      assertThat(again.spentEpsilon()).isEqualTo(Rational.parse("0.6"));
      assertThatThrownBy(() -> again.spendPure("profiles, run 2", Rational.parse("0.6")))
          .isInstanceOf(BudgetExceededException.class);
      again.spendPure("profiles, run 2 (smaller)", Rational.parse("0.4"));
      assertThat(again.spends()).extracting(PrivacyAccountant.Spend::release)
          .containsExactly("profiles, run 1", "profiles, run 2 (smaller)");
      PrivacyAccountant other = PrivacyAccountant.persistent("another-budget",
          Rational.parse("1"), Rational.ZERO, db.spendLog());
      assertThat(other.spentEpsilon()).isEqualTo(Rational.ZERO);
    }
  }

  @Test
  void aBudgetIdKeepsTheBudgetItWasFirstOpenedWith(@TempDir Path dir) {
    try (ConsentDatabase db = ConsentDatabase.h2(dir)) {
      PrivacyAccountant.persistent("marketing/2026", Rational.parse("1"), Rational.ZERO,
          db.spendLog()).spendPure("profiles", Rational.parse("1"));
    }
    try (ConsentDatabase db = ConsentDatabase.h2(dir)) {
      // Another process, a larger budget under the same id: refused before anything is spent.
      assertThatThrownBy(() -> PrivacyAccountant.persistent("marketing/2026",
          Rational.parse("10"), Rational.ZERO, db.spendLog()))
          .isInstanceOf(dev.privseg.core.ConfigurationException.class)
          .hasMessage("privacy budget 'marketing/2026' holds epsilon 1, delta 0, the budget it "
              + "was first opened with; it cannot be opened with epsilon 10, delta 0 (a budget "
              + "id keeps its budget: use a new id for a new budget)");
      assertThat(PrivacyAccountant.persistent("marketing/2026", Rational.parse("1"),
          Rational.ZERO, db.spendLog()).spentEpsilon()).isEqualTo(Rational.parse("1"));
    }
  }

  @Test
  void concurrentAccountantsOnOneBudgetNeverOverspend(@TempDir Path dir) throws Exception {
    try (ConsentDatabase db = ConsentDatabase.h2(dir)) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Integer>> accepted = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          accepted.add(pool.submit(() -> {
            PrivacyAccountant a = PrivacyAccountant.persistent("shared", Rational.parse("1"),
                Rational.ZERO, db.spendLog());
            int ok = 0;
            for (int i = 0; i < 10; i++) {
              try {
                a.spendPure("release", Rational.of(1, 20));
                ok++;
              } catch (BudgetExceededException e) {
                // the shared budget is gone
              }
            }
            return ok;
          }));
        }
        int total = 0;
        for (Future<Integer> f : accepted) {
          total += f.get();
        }
        assertThat(total).isEqualTo(20);
        assertThat(PrivacyAccountant.persistent("shared", Rational.parse("1"), Rational.ZERO,
            db.spendLog()).spentEpsilon()).isEqualTo(Rational.parse("1"));
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
