package dev.privseg.core.release;

import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Durable record of privacy-budget spending, so that spent budget survives restarts and is shared
 * by every process that releases from the same budget. The anonymization module's accountant
 * uses it; the consent module provides a JDBC implementation next to the consent ledger.
 * Implementations are thread-safe; {@link #appendIf} is atomic across processes.
 */
public interface SpendLog {

  /**
   * One recorded spend.
   *
   * @param release what was released
   * @param kind "pure" (ε) or "zCDP" (ρ)
   * @param amount the ε or ρ spent, as an exact fraction such as {@code 1/4}
   * @param at when
   */
  record Spend(String release, String kind, String amount, Instant at) {}

  /**
   * The budget a budget id holds to.
   *
   * @param epsilon the budget's ε, as an exact fraction such as {@code 3/2}
   * @param delta the budget's δ, as an exact fraction
   */
  record Budget(String epsilon, String delta) {}

  /**
   * Stores {@code budget} as the budget of {@code budgetId} if it has none yet, and returns the
   * budget it holds, the first one stored for it. Atomic across processes: of two concurrent
   * first openings with different budgets, both get the same answer. An implementation must never
   * return a budget other than the stored one (a log that forgets budgets lets a second process
   * overspend the first's budget).
   */
  Budget pinBudget(String budgetId, Budget budget);

  /**
   * Every budget id with its pinned budget, by id: what a compliance status lists. Ids whose
   * spends were logged before budgets were pinned (consent schema version 10) are not listed.
   */
  SortedMap<String, Budget> budgets();

  /** The spends of budget {@code budgetId}, oldest first. */
  List<Spend> spends(String budgetId);

  /**
   * Appends {@code spend} to budget {@code budgetId} if it still holds exactly
   * {@code expectedCount} spends (optimistic concurrency); returns false, appending nothing, if
   * another writer got there first.
   */
  boolean appendIf(String budgetId, int expectedCount, Spend spend);

  /** A log held in memory (for tests and single-process hosts). */
  static SpendLog inMemory() {
    return new SpendLog() {
      private final java.util.Map<String, List<Spend>> spends = new java.util.HashMap<>();
      private final java.util.Map<String, Budget> budgets = new java.util.HashMap<>();

      @Override
      public synchronized Budget pinBudget(String budgetId, Budget budget) {
        return budgets.computeIfAbsent(budgetId, k -> budget);
      }

      @Override
      public synchronized SortedMap<String, Budget> budgets() {
        return java.util.Collections.unmodifiableSortedMap(new TreeMap<>(budgets));
      }

      @Override
      public synchronized List<Spend> spends(String budgetId) {
        return List.copyOf(spends.getOrDefault(budgetId, List.of()));
      }

      @Override
      public synchronized boolean appendIf(String budgetId, int expectedCount, Spend spend) {
        List<Spend> list = spends.computeIfAbsent(budgetId, k -> new java.util.ArrayList<>());
        if (list.size() != expectedCount) {
          return false;
        }
        list.add(spend);
        return true;
      }
    };
  }
}
