package dev.privseg.consent.store.jdbc;

import dev.privseg.core.release.SpendLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Core's {@link SpendLog} in the consent database (schema V4 and V10): privacy-budget spends
 * survive restarts and are shared across processes, and each budget id keeps the budget it was
 * first opened with. {@link #appendIf} inserts at position
 * {@code expectedCount + 1}; the primary key lets only one concurrent writer win. Thread-safe.
 */
public final class JdbcSpendLog implements SpendLog {
  private static final String UNIQUE_VIOLATION = "23505";
  private final DataSource dataSource;
  private final String description;

  private JdbcSpendLog(DataSource dataSource, String description) {
    this.dataSource = dataSource;
    this.description = description;
  }

  /** Opens the log on {@code dataSource}, migrating the schema if needed. */
  public static JdbcSpendLog open(DataSource dataSource, String description) {
    return Migrations.open(dataSource, description, JdbcSpendLog::attach);
  }

  /** The log on a database whose schema is already current; runs no DDL. */
  static JdbcSpendLog attach(DataSource dataSource, String description) {
    return new JdbcSpendLog(dataSource, description);
  }

  @Override
  public Budget pinBudget(String budgetId, Budget budget) {
    for (int attempt = 0; attempt < 2; attempt++) {
      Budget held = storedBudget(budgetId);
      if (held != null) {
        return held;
      }
      try (Connection c = dataSource.getConnection();
          PreparedStatement s = c.prepareStatement("INSERT INTO privseg_privacy_budget "
              + "(budget_id, epsilon, delta, pinned_at) VALUES (?, ?, ?, ?)")) {
        s.setString(1, budgetId);
        s.setString(2, budget.epsilon());
        s.setString(3, budget.delta());
        s.setLong(4, System.currentTimeMillis());
        s.executeUpdate();
        return budget;
      } catch (SQLException e) {
        if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
          throw Migrations.failure("recording a privacy budget", description, e);
        }
        // Another process pinned it first: read what it stored.
      }
    }
    throw new IllegalStateException("privacy budget '" + budgetId + "' was neither stored nor "
        + "readable in " + description);
  }

  private Budget storedBudget(String budgetId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT epsilon, delta FROM "
            + "privseg_privacy_budget WHERE budget_id = ?")) {
      s.setString(1, budgetId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? new Budget(rs.getString(1), rs.getString(2)) : null;
      }
    } catch (SQLException e) {
      throw Migrations.failure("reading a privacy budget", description, e);
    }
  }

  @Override
  public SortedMap<String, Budget> budgets() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT budget_id, epsilon, delta FROM "
            + "privseg_privacy_budget");
        ResultSet rs = s.executeQuery()) {
      SortedMap<String, Budget> out = new TreeMap<>();
      while (rs.next()) {
        out.put(rs.getString(1), new Budget(rs.getString(2), rs.getString(3)));
      }
      return out;
    } catch (SQLException e) {
      throw Migrations.failure("reading privacy budgets", description, e);
    }
  }

  @Override
  public List<Spend> spends(String budgetId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT release_name, kind, amount, spent_at "
            + "FROM privseg_privacy_spend WHERE budget_id = ? ORDER BY seq")) {
      s.setString(1, budgetId);
      List<Spend> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(new Spend(rs.getString(1), rs.getString(2), rs.getString(3),
              Instant.ofEpochMilli(rs.getLong(4))));
        }
      }
      return out;
    } catch (SQLException e) {
      throw Migrations.failure("reading privacy spends", description, e);
    }
  }

  @Override
  public boolean appendIf(String budgetId, int expectedCount, Spend spend) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("INSERT INTO privseg_privacy_spend (budget_id, "
            + "seq, release_name, kind, amount, spent_at) VALUES (?, ?, ?, ?, ?, ?)")) {
      s.setString(1, budgetId);
      s.setInt(2, expectedCount + 1);
      s.setString(3, spend.release());
      s.setString(4, spend.kind());
      s.setString(5, spend.amount());
      s.setLong(6, spend.at().toEpochMilli());
      s.executeUpdate();
      return true;
    } catch (SQLException e) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        return false;
      }
      throw Migrations.failure("recording a privacy spend", description, e);
    }
  }
}
