package dev.privseg.core.release;

import dev.privseg.core.Checks;

/**
 * Where one privacy budget stands: its ε and δ, the ε spent so far (composition included, an
 * upper bound) and how many releases spent it. Exact fractions as text, such as {@code 3/2}, and
 * the share spent as a number for display.
 *
 * @param budgetId the budget's id
 * @param epsilon the budget's ε
 * @param delta the budget's δ
 * @param spentEpsilon the ε spent
 * @param spentShare the ε spent over the budget's ε, from 0 to 1
 * @param releases how many releases spent it
 */
public record BudgetStatus(String budgetId, String epsilon, String delta, String spentEpsilon,
    double spentShare, int releases) {
  /** Validates the status. */
  public BudgetStatus {
    Checks.notBlank(budgetId, "budgetId");
    Checks.notBlank(epsilon, "epsilon");
    Checks.notBlank(delta, "delta");
    Checks.notBlank(spentEpsilon, "spentEpsilon");
    Checks.check(spentShare >= 0 && spentShare <= 1, "a spent share is from 0 to 1 but was %s",
        spentShare);
    Checks.check(releases >= 0, "releases must not be negative");
  }
}
