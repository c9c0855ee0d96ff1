package dev.privseg.anonymization.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** "The privacy budget is never exceeded", under any sequence of releases. */
class PrivacyAccountantProperties {

  /** A release request: pure ε or zCDP ρ, as a small fraction. */
  record Request(boolean pure, int num, int den) {}

  @Provide
  Arbitrary<Request> requests() {
    return Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(1, 9),
        Arbitraries.integers().between(1, 200)).as(Request::new);
  }

  @Property(tries = 300)
  void theBudgetIsNeverExceeded(@ForAll @IntRange(min = 1, max = 20) int budgetTenths,
      @ForAll @Size(max = 40) List<@net.jqwik.api.From("requests") Request> releases) {
    Rational budget = Rational.of(budgetTenths, 10);
    PrivacyAccountant accountant = PrivacyAccountant.withBudget(budget, Rational.parse("1e-6"));
    int accepted = 0;
    for (Request r : releases) {
      Rational before = accountant.spentEpsilon();
      Rational amount = Rational.of(r.num(), r.den());
      try {
        if (r.pure()) {
          accountant.spendPure("release " + accepted, amount);
        } else {
          accountant.spendZcdp("release " + accepted, amount);
        }
        accepted++;
      } catch (BudgetExceededException e) {
        assertThat(accountant.spentEpsilon()).as("a refused release spends nothing")
            .isEqualTo(before);
      }
      assertThat(accountant.spentEpsilon()).isLessThanOrEqualTo(budget);
    }
    assertThat(accountant.spends()).hasSize(accepted);
  }

  @Property(tries = 200)
  void pureReleasesComposeExactlyUpToTheBudget(@ForAll @IntRange(min = 1, max = 12) int parts) {
    PrivacyAccountant accountant = PrivacyAccountant.withBudget(Rational.of(1, 1), Rational.ZERO);
    for (int i = 0; i < parts; i++) {
      accountant.spendPure("part " + i, Rational.of(1, parts));
    }
    assertThat(accountant.spentEpsilon()).isEqualTo(Rational.of(1, 1));
    assertThatThrownBy(() -> accountant.spendPure("one more", Rational.of(1, 1_000_000)))
        .isInstanceOf(BudgetExceededException.class).hasMessageContaining("'one more'");
  }

  @Test
  void zcdpIsConvertedAtTheBudgetsDelta() {
    PrivacyAccountant a = PrivacyAccountant.withBudget(Rational.of(1, 1), Rational.parse("1e-6"));
    a.spendZcdp("means", Rational.of(1, 100));
    // ε = ρ + 2·sqrt(ρ·ln(1/δ)) = 0.01 + 2·sqrt(0.01·13.8155...) = 0.75339...
    assertThat(a.spentEpsilon().toDouble()).isBetween(0.7533, 0.7535);
    assertThat(a.spentDelta()).isEqualTo(Rational.parse("1e-6"));
    assertThatThrownBy(() -> a.spendZcdp("more means", Rational.of(1, 100)))
        .isInstanceOf(BudgetExceededException.class);
    assertThatThrownBy(() -> PrivacyAccountant.withBudget(Rational.of(1, 1), Rational.ZERO)
        .spendZcdp("x", Rational.of(1, 100))).hasMessageContaining("needs a budget with delta");
  }
}
