package dev.privseg.consent.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.privseg.consent.store.jdbc.JdbcSpendLog;
import dev.privseg.core.release.SpendLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * A budget id keeps the budget it was first opened with, in every store: a second process (here
 * a second log on the same database) that asks for another budget gets the first one back, so
 * the accountant can refuse it.
 */
class SpendLogBudgetTest {

  static void pinsTheFirstBudget(SpendLog first, SpendLog second) throws Exception {
    SpendLog.Budget one = new SpendLog.Budget("1", "0");
    SpendLog.Budget ten = new SpendLog.Budget("10", "1/1000000");
    assertThat(first.pinBudget("crm/2026", one)).isEqualTo(one);
    assertThat(second.pinBudget("crm/2026", ten)).isEqualTo(one);
    assertThat(second.pinBudget("other", ten)).isEqualTo(ten);

    // Concurrent first openings with different budgets all get the same answer.
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<SpendLog.Budget>> answers = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        SpendLog log = t % 2 == 0 ? first : second;
        SpendLog.Budget asked = new SpendLog.Budget(Integer.toString(t + 1), "0");
        answers.add(pool.submit(() -> log.pinBudget("raced", asked)));
      }
      SpendLog.Budget agreed = answers.get(0).get();
      for (Future<SpendLog.Budget> a : answers) {
        assertThat(a.get()).isEqualTo(agreed);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void inMemory() throws Exception {
    SpendLog log = SpendLog.inMemory();
    pinsTheFirstBudget(log, log);
  }

  @Test
  void h2() throws Exception {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:privseg-budget-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    pinsTheFirstBudget(JdbcSpendLog.open(ds, "H2 test"), JdbcSpendLog.open(ds, "H2 test"));
  }

  @Test
  void postgres() throws Exception {
    DataSource ds = Databases.freshPostgresSchema();
    pinsTheFirstBudget(JdbcSpendLog.open(ds, "PostgreSQL test"),
        JdbcSpendLog.open(ds, "PostgreSQL test"));
  }
}
