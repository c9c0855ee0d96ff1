package dev.privseg.anonymization.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.privseg.core.release.BudgetStatus;
import dev.privseg.core.release.SpendLog;
import org.junit.jupiter.api.Test;

/**
 * Where each budget of a spend log stands, as a compliance status lists it: every pinned id, its
 * budget, the ε spent with composition (zCDP spends converted at the budget's δ) and the releases.
 */
class BudgetStatusTest {
  @Test
  void everyPinnedBudgetIsListedWithWhatItsAccountantSpent() {
    SpendLog log = SpendLog.inMemory();
    PrivacyAccountant profiles = PrivacyAccountant.persistent("profiles", Rational.of(2, 1),
        Rational.ZERO, log);
    profiles.spendPure("segment means", Rational.of(1, 2));
    profiles.spendPure("segment sizes", Rational.of(1, 4));
    PrivacyAccountant kmeans = PrivacyAccountant.persistent("kmeans", Rational.of(4, 1),
        Rational.of(1, 1_000_000), log);
    kmeans.spendZcdp("centres", Rational.of(1, 100));
    PrivacyAccountant.persistent("unused", Rational.of(1, 1), Rational.ZERO, log);

    assertThat(PrivacyAccountant.budgets(log)).extracting(BudgetStatus::budgetId)
        .containsExactly("kmeans", "profiles", "unused");
    BudgetStatus p = PrivacyAccountant.budgets(log).get(1);
    assertThat(p).isEqualTo(new BudgetStatus("profiles", "2", "0", "3/4", 0.375, 2));
    BudgetStatus k = PrivacyAccountant.budgets(log).get(0);
    assertThat(k.spentEpsilon()).isEqualTo(kmeans.spentEpsilon().toString());
    assertThat(k.spentShare()).isCloseTo(kmeans.spentEpsilon().toDouble() / 4, within(1e-12));
    assertThat(k.releases()).isEqualTo(1);
    assertThat(PrivacyAccountant.budgets(log).get(2).spentShare()).isZero();
  }
}
